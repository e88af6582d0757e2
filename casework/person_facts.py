"""What a user may be shown of a register person: taken from the mentions this user may see.

A person record starts as a copy of its first mention; if that mention sits in a restricted
dossier, its spelling, alias or date of birth must not reach analysts who are not granted it.
"""

from collections.abc import Iterable

from django.db.models import OuterRef

from casework.fixed_queries import in_or_nothing
from casework.need_to_know import mention_hidden_from
from register.models import Person, User
from signals.models import SignalPerson


def attach_visible_facts(user: User, persons: Iterable[Person]) -> list[Person]:
    """Set shown_name, shown_alias, shown_birth, shown_nationality and shown_sex on each
    person."""
    persons = [p for p in persons if p is not None]
    first: dict[int, SignalPerson] = {}
    mentions = (SignalPerson.objects.filter(in_or_nothing("person", persons))
                .exclude(mention_hidden_from(user, OuterRef("pk")))
                .order_by("signal__received_at", "pk"))
    for mention in mentions:
        first.setdefault(mention.person_id, mention)
    return show_facts(persons, first)


def show_facts(persons: list[Person], first: dict[int, SignalPerson]) -> list[Person]:
    """Set what is shown of each person from its first mention the user may see (`first`,
    by person id), or from the person record when it has none."""
    for person in persons:
        source = first.get(person.pk, person)
        name = " ".join(p for p in (source.given_names, source.family_name) if p)
        person.shown_name = name or source.alias or person.audit_ref
        person.shown_alias = source.alias
        person.shown_birth = source.date_of_birth
        person.shown_nationality = source.nationality
        person.shown_sex = source.sex
    return persons
