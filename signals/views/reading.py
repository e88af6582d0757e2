"""Reading signals: the reporter's own list, the receipt, a signal's page, its attachments."""

from django.http import Http404
from django.shortcuts import render

from register.access import INTAKE_ROLES, role_required
from register.models import Role
from register.services.audit import audit_record
from register.ui import file_download, page_of
from signals.models import Attachment, Signal
from signals.selectors import signal_detail_for, signals_visible_to
from signals.views.triage import triage_page
from signals.vocab import OPEN_STATUSES


def _visible_signal(request, reference: str) -> Signal:
    try:
        return signal_detail_for(request.user, reference)
    except Signal.DoesNotExist:
        raise Http404 from None


@role_required(*INTAKE_ROLES)
def my_signals(request):
    signals = signals_visible_to(request.user).filter(submitted_by=request.user)
    fields = ("id", "reference", "received_at", "observed_on", "island", "status", "channel")
    signals = signals.select_related(None).only(*fields)
    page = page_of(request, signals)
    audit_record(actor=request.user, action="signals.signal.listed", object_type="signals.signal",
                 result_ids=[s.pk for s in page])
    return render(request, "signals/my_signals.html", {"page": page})


@role_required(*INTAKE_ROLES)
def signal_receipt(request, reference: str):
    signal = _visible_signal(request, reference)
    return render(request, "signals/receipt.html", {"signal": signal})


@role_required(*INTAKE_ROLES)
def signal_detail(request, reference: str):
    signal = _visible_signal(request, reference)
    if request.user.has_role(Role.ANALYST):
        return triage_page(request, signal)
    audit_record(actor=request.user, action="signals.signal.viewed", obj=signal)
    return render(request, "signals/signal_detail.html",
                  {"signal": signal, "is_open": signal.status in OPEN_STATUSES})


@role_required(Role.ANALYST)
def attachment_download(request, reference: str, attachment_id):
    signal = _visible_signal(request, reference)
    try:
        attachment = signal.attachments.get(pk=attachment_id)
    except (Attachment.DoesNotExist, ValueError):
        raise Http404 from None
    audit_record(actor=request.user, action="signals.attachment.downloaded", obj=attachment,
                 detail={"signal": signal.reference})
    extension = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}
    # The original name may hold personal data; the download gets a neutral name.
    return file_download(attachment.file,
                    filename=f"{signal.reference}-{str(attachment.pk)[:8]}."
                             f"{extension.get(attachment.content_type, 'bin')}",
                    content_type=attachment.content_type)
