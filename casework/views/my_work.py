"""An analyst's own work in one place: follow-up due on her dossiers first, then the signals
she holds and the dossiers assigned to her."""

from django.db.models import F
from django.shortcuts import render
from django.utils import timezone

from casework.need_to_know import dossiers_visible_to
from casework.selectors import inbox_for
from casework.worklists import with_signal_count
from register.access import analyst_only
from register.models import Dossier, FollowUpAction
from register.services.audit import audit_record

LIMIT = 100


@analyst_only
def my_work(request):
    user = request.user
    mine = dossiers_visible_to(user).filter(assigned_analysts=user)
    follow_ups = list(
        FollowUpAction.objects.filter(dossier__in=mine, outcome=FollowUpAction.Outcome.PLANNED)
        .select_related("dossier", "responsible_organisation")
        .order_by(F("due_on").asc(nulls_last=True), "created_at", "id")[:LIMIT])
    signals = list(inbox_for(user).filter(taken_up_by=user)[:LIMIT])
    dossiers = list(with_signal_count(mine.exclude(status=Dossier.Status.CLOSED))
                    .order_by("-priority", "-updated_at", "-id")[:LIMIT])
    audit_record(actor=user, action="casework.my_work.listed",
                 result_ids=[f"signals.signal:{s.pk}" for s in signals]
                 + [f"register.dossier:{d.pk}" for d in dossiers])
    return render(request, "casework/my_work.html", {
        "follow_ups": follow_ups, "signals": signals, "dossiers": dossiers,
        "today": timezone.localdate(), "now": timezone.now()})
