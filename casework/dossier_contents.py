"""What a dossier holds, as its page and its printed summary show it: the signals this user may
see with their parts, the persons and their roles, places, notes, follow-up and who works on it.
A fixed number of queries, whatever the dossier's size."""

from django.db.models import Prefetch

from casework.need_to_know import persons_visible_to, restricted_to
from casework.person_facts import attach_visible_facts
from casework.selectors import signals_visible_to
from register.models import Dossier, User
from signals.models import SignalPerson


def dossier_contents(user: User, dossier: Dossier) -> dict:
    signals = list(signals_visible_to(user).filter(dossier=dossier)
                   .order_by("observed_on", "received_at")
                   .prefetch_related("forms", "businesses", "vehicles",
                                     Prefetch("persons", SignalPerson.objects
                                              .select_related("person"))))
    persons = list(dossier.persons.select_related("person").order_by("role", "person_id"))
    attach_visible_facts(user, [role.person for role in persons])
    # A role may outlive the mention it came from (MoU facts keep it) while the person is now
    # known only from a dossier hidden from this reader: such a person is shown by number only.
    visible = set(persons_visible_to(user).filter(
        pk__in=[role.person_id for role in persons]).values_list("pk", flat=True))
    for role in persons:
        if role.person_id not in visible:
            person = role.person
            person.shown_name, person.shown_alias = person.audit_ref, ""
            person.shown_birth, person.shown_nationality = None, ""
            person.shown_sex = ""
    return {
        "dossier": dossier,
        "signals": signals,
        "persons": persons,
        "businesses": [b for s in signals for b in s.businesses.all()],
        "vehicles": [v for s in signals for v in s.vehicles.all()],
        "places": sorted({(s.get_island_display(), s.location) for s in signals}),
        "notes": list(dossier.notes.select_related("author")),
        "follow_ups": list(dossier.follow_ups.select_related(
            "responsible_organisation", "task__decided_by").prefetch_related(
            "task__progress")),
        "assigned": list(dossier.assigned_analysts.all()),
        "restricted_to": list(restricted_to(dossier)) if dossier.restricted else [],
    }


def contents_ids(contents: dict) -> list[str]:
    """What a reader of these contents saw, for the audit trail."""
    return ([f"signals.signal:{s.pk}" for s in contents["signals"]]
            + [f"register.person:{role.person_id}" for role in contents["persons"]])
