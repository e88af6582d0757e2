"""What retention does to casework: when signals are anonymised, a register person all of
whose mentions are anonymised is forgotten too. The signals app anonymises its own rows and
knows nothing of register persons or the match index; this wraps it in one transaction."""

from django.db import transaction

from casework.models import PersonIdentifier
from register.models import Person
from register.services.audit import audit_record
from signals import privacy as intake
from signals.models import SignalPerson


def anonymise_signals(*, actor, object_ids: list[str]) -> int:
    with transaction.atomic():
        person_ids = set(SignalPerson.objects.filter(
            signal_id__in=object_ids, signal__anonymised_at__isnull=True, person__isnull=False)
            .values_list("person_id", flat=True))
        count = intake.anonymise_signals(actor=actor, object_ids=object_ids)
        anonymise_forgotten_persons(actor, person_ids)
    return count


def anonymise_forgotten_persons(actor, person_ids) -> None:
    """A register person all of whose mentions are anonymised keeps no name, birth date or
    way to be found; their roles in dossiers (what the figures count) stay."""
    forgotten = (Person.objects.filter(pk__in=person_ids)
                 .exclude(mentions__signal__anonymised_at__isnull=True))
    ids = list(forgotten.values_list("pk", flat=True))
    PersonIdentifier.objects.filter(person_id__in=ids).delete()
    Person.objects.filter(pk__in=ids).update(family_name="", given_names="", alias="",
                                             date_of_birth=None)
    for pk in ids:
        audit_record(actor=actor, action="register.person.anonymised",
                     object_type="register.person", object_id=pk)
