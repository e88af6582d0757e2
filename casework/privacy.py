"""What retention does to casework: when signals are anonymised, a register person all of
whose mentions are anonymised is forgotten too, and so is the free text of a dossier all of
whose signals are anonymised (its notes, follow-up explanations, the briefs and progress
shared with partners, their decision documents). The signals app anonymises its own rows and
knows nothing of register persons, dossiers or the match index; this wraps it in one
transaction."""

from django.db import transaction
from django.db.models import Exists, F, OuterRef

from casework.models import FollowUpProgress, FollowUpTask, PersonIdentifier
from register.models import Dossier, DossierNote, FollowUpAction, Person
from register.services.audit import audit_record
from signals import privacy as intake
from signals.models import Signal, SignalPerson


def anonymise_signals(*, actor, object_ids: list[str]) -> int:
    with transaction.atomic():
        person_ids = set(SignalPerson.objects.filter(
            signal_id__in=object_ids, signal__anonymised_at__isnull=True, person__isnull=False)
            .values_list("person_id", flat=True))
        dossier_ids = set(Signal.objects.filter(pk__in=object_ids, dossier__isnull=False)
                          .values_list("dossier_id", flat=True))
        count = intake.anonymise_signals(actor=actor, object_ids=object_ids)
        anonymise_forgotten_persons(actor, person_ids)
        anonymise_forgotten_dossiers(actor, dossier_ids)
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


def anonymise_forgotten_dossiers(actor, dossier_ids) -> None:
    """A dossier all of whose signals are anonymised keeps its number, dates, statuses, kinds
    and outcomes (what the figures count) but none of the text written about the people in it.
    The decision documents' files are deleted once the transaction commits."""
    live = Signal.objects.filter(dossier=OuterRef("pk"), anonymised_at__isnull=True)
    ids = list(Dossier.objects.filter(pk__in=dossier_ids).exclude(Exists(live))
               .values_list("pk", flat=True))
    if not ids:
        return
    tasks = FollowUpTask.objects.filter(action__dossier_id__in=ids)
    storage = FollowUpTask._meta.get_field("decision_document").storage
    files = [name for name in tasks.exclude(decision_document="")
             .values_list("decision_document", flat=True)]
    Dossier.objects.filter(pk__in=ids).update(title=F("number"), closed_reason="")
    DossierNote.objects.filter(dossier_id__in=ids).update(text="")
    FollowUpAction.objects.filter(dossier_id__in=ids).update(explanation="")
    FollowUpProgress.objects.filter(task__in=tasks).update(text="")
    tasks.update(brief="", decline_reason="", decision_document="", decision_document_type="")
    transaction.on_commit(lambda: [storage.delete(name) for name in files])
    for pk in ids:
        audit_record(actor=actor, action="register.dossier.anonymised",
                     object_type="register.dossier", object_id=pk)
