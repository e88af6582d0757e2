"""What became of a signal, told to the partner that filed it, without personal data.

Received, taken into the register, combined with how many other signals, follow-up under way
by which organisations, closed, or not taken up (with the reason the analyst chose to tell).
No names, no descriptions, no dossier title: only stages, counts and organisation names.
"""

from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, QuerySet
from django.utils.translation import gettext_lazy as _

from register.models import Dossier, FollowUpAction
from signals.models import Signal
from signals.vocab import OPEN_STATUSES, SignalStatus

STAGES = {
    "received": _("Received: the analysts are assessing it."),
    "in_register": _("Taken into the register."),
    "follow_up": _("Follow-up is under way."),
    "closed": _("Closed: the case has been dealt with."),
    "declined": _("Not taken up."),
}


@dataclass
class Feedback:
    stage: str
    combined_with: int = 0
    follow_up_by: list[str] = field(default_factory=list)
    followed_up_by: list[str] = field(default_factory=list)
    reason: str = ""

    @property
    def sentence(self) -> str:
        return str(STAGES[self.stage])


def with_feedback_facts(signals: QuerySet[Signal]) -> QuerySet[Signal]:
    """The signals with what their feedback needs, in a fixed number of queries."""
    actions = FollowUpAction.objects.select_related("responsible_organisation").order_by(
        "responsible_organisation__name")
    dossiers = Dossier.objects.annotate(signal_count=Count("signals")).prefetch_related(
        Prefetch("follow_ups", queryset=actions))
    return signals.select_related(None).prefetch_related(Prefetch("dossier", queryset=dossiers))


def feedback_for(signal: Signal) -> Feedback:
    if signal.status in OPEN_STATUSES:
        return Feedback("received")
    if signal.status == SignalStatus.NOT_TAKEN_UP:
        return Feedback("declined", reason=signal.reason_for_reporter)
    dossier = signal.dossier
    if dossier is None:
        return Feedback("in_register")
    count = getattr(dossier, "signal_count", None)
    if count is None:
        count = dossier.signals.count()
    follow_ups = list(dossier.follow_ups.all())
    under_way = sorted({a.responsible_organisation.name for a in follow_ups
                        if a.outcome == FollowUpAction.Outcome.PLANNED})
    done = sorted({a.responsible_organisation.name for a in follow_ups
                   if a.outcome not in (FollowUpAction.Outcome.PLANNED,
                                        FollowUpAction.Outcome.CANCELLED)})
    if dossier.status == Dossier.Status.CLOSED:
        stage = "closed"
    elif under_way or done:
        stage = "follow_up"
    else:
        stage = "in_register"
    return Feedback(stage, combined_with=max(count - 1, 0), follow_up_by=under_way,
                    followed_up_by=done)
