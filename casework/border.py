"""Repeat persons at the border: a person named in a border signal who was met at the border
before (the Kustwacht intercepts the same people again, inspection report 4.2.2)."""

from django.db.models import Q

from casework.selectors import signals_visible_to
from register.models import User
from signals.models import Signal, SignalPerson
from signals.vocab import ExploitationForm

BORDER = (Q(border_place__gt="") | Q(group_size__isnull=False)
          | Q(forms__code=ExploitationForm.SMUGGLING))


def is_border_signal(signal: Signal) -> bool:
    return bool(signal.border_place or signal.group_size is not None
                or ExploitationForm.SMUGGLING in signal.form_codes)


def earlier_at_the_border(user: User, signal: Signal, persons) -> list[tuple]:
    """[(person, [signals])]: of these register persons, those named in another border
    signal the analyst may see, with those signals (newest first). One query."""
    by_id = {person.pk: person for person in persons}
    if not by_id or not is_border_signal(signal):
        return []
    border_signals = signals_visible_to(user).filter(BORDER).exclude(pk=signal.pk)
    found: dict[int, dict[int, Signal]] = {}
    mentions = (SignalPerson.objects.filter(person_id__in=by_id, signal__in=border_signals)
                .select_related("signal").order_by("-signal__received_at"))
    for mention in mentions:
        found.setdefault(mention.person_id, {})[mention.signal_id] = mention.signal
    return [(by_id[pk], list(signals.values())) for pk, signals in found.items()]
