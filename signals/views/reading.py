"""What a reporter reads of their own signals: the list, and a signal's page.

Which signal a user may open (need to know) is decided by casework, which serves the pages of
one signal (casework/views/signal_pages.py) and shows a reporter this page.
"""

from django.shortcuts import render

from register.access import INTAKE_ROLES, role_required
from register.services.audit import audit_record
from register.ui import page_of
from signals.feedback import feedback_for
from signals.models import Signal
from signals.selectors import own_signals
from signals.vocab import OPEN_STATUSES


@role_required(*INTAKE_ROLES)
def my_signals(request):
    fields = ("id", "reference", "received_at", "observed_on", "island", "status", "channel")
    signals = own_signals(request.user).select_related(None).only(*fields)
    page = page_of(request, signals)
    audit_record(actor=request.user, action="signals.signal.listed", object_type="signals.signal",
                 result_ids=[s.pk for s in page])
    return render(request, "signals/my_signals.html", {"page": page})


def reporter_page(request, signal: Signal):
    """A reporter's page of one of their signals: what they filed, its status, the questions."""
    audit_record(actor=request.user, action="signals.signal.viewed", obj=signal)
    return render(request, "signals/signal_detail.html",
                  {"signal": signal, "is_open": signal.status in OPEN_STATUSES,
                   "feedback": feedback_for(signal)})


def receipt_page(request, signal: Signal):
    return render(request, "signals/receipt.html", {"signal": signal})
