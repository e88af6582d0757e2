"""One person's timeline across every signal and dossier the analyst may see: when they were
mentioned and in what role, when a dossier about them was opened, when they were identified,
and what was done in those dossiers. Oldest first, as a case is told."""

import datetime as dt
from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.need_to_know import dossiers_visible_to
from casework.selectors import signals_visible_to
from register.models import FollowUpAction, Person, User


@dataclass(frozen=True)
class Moment:
    on: dt.date
    text: str
    url: str = ""


def person_timeline(user: User, person: Person) -> list[Moment]:
    moments = []
    mentions = (person.mentions.filter(signal__in=signals_visible_to(user))
                .select_related("signal", "signal__dossier"))
    for mention in mentions:
        signal = mention.signal
        text = _("Mentioned as %(role)s in signal %(reference)s (%(island)s)") % {
            "role": mention.get_role_display().lower(), "reference": signal.reference,
            "island": signal.get_island_display()}
        moments.append(Moment(timezone.localtime(signal.received_at).date(), text,
                              reverse("signals:detail", args=[signal.reference])))
    roles = (person.dossier_roles.filter(dossier__in=dossiers_visible_to(user))
             .select_related("dossier"))
    dossiers = {}
    for role in roles:
        dossier = dossiers[role.dossier_id] = role.dossier
        url = reverse("casework:dossier", args=[dossier.number])
        if role.identified_on:
            moments.append(Moment(role.identified_on, _(
                "Identified as %(role)s in dossier %(number)s%(status)s") % {
                "role": role.get_role_display().lower(), "number": dossier.number,
                "status": f" ({role.get_victim_status_display().lower()})"
                if role.victim_status else ""}, url))
    for dossier in dossiers.values():
        moments.append(Moment(timezone.localtime(dossier.created_at).date(), _(
            "Dossier %(number)s opened") % {"number": dossier.number},
            reverse("casework:dossier", args=[dossier.number])))
    for action in (FollowUpAction.objects.filter(dossier_id__in=dossiers)
                   .select_related("dossier", "responsible_organisation")):
        on = action.happened_on or action.due_on
        if on is None:
            continue
        moments.append(Moment(on, _("%(action)s (%(organisation)s, %(outcome)s) in dossier "
                                    "%(number)s") % {
            "action": action.get_kind_display(),
            "organisation": action.responsible_organisation.code.upper(),
            "outcome": action.get_outcome_display().lower(), "number": action.dossier.number},
            reverse("casework:dossier", args=[action.dossier.number])))
    return sorted(moments, key=lambda moment: moment.on)
