"""Who is in a dossier, and in what role: the dossier's persons follow the mentions in its
signals, and when two rows for one person meet (a merge), one keeps the most that is known."""

from register.models import Dossier, DossierPerson
from signals.models import SignalPerson
from signals.vocab import PersonRole

# A person's role in a signal gives their role in its dossier.
MENTION_ROLE = {PersonRole.VICTIM: DossierPerson.Role.VICTIM,
                PersonRole.SUSPECT: DossierPerson.Role.SUSPECT,
                PersonRole.WITNESS: DossierPerson.Role.WITNESS,
                PersonRole.OTHER: DossierPerson.Role.OTHER}


def dossier_sync_persons(dossier: Dossier) -> None:
    """The persons of a dossier follow the mentions in its signals; roles with MoU facts
    recorded on them stay until an analyst removes them."""
    wanted = {(person_id, MENTION_ROLE.get(role, DossierPerson.Role.OTHER))
              for person_id, role in SignalPerson.objects.filter(
                  signal__dossier=dossier, person__isnull=False)
              .values_list("person_id", "role").distinct()}
    have = {(row.person_id, row.role): row for row in dossier.persons.all()}
    DossierPerson.objects.bulk_create(
        DossierPerson(dossier=dossier, person_id=person_id, role=role)
        for person_id, role in wanted - set(have))
    stale = [row.pk for key, row in have.items()
             if key not in wanted and not (row.identified_on or row.victim_status)]
    DossierPerson.objects.filter(pk__in=stale).delete()


VICTIM_STATUS_ORDER = ["", "not_a_victim", "possible", "presumed", "confirmed"]


def keep_better_role(role: DossierPerson, existing: DossierPerson | None,
                     dossier: Dossier) -> None:
    """Move `role` into `dossier`; when the same person already has that role there, keep one
    row with the most that is known (furthest victim status, earliest identification), so the
    annual figures neither lose nor double-count a person."""
    if existing is None:
        role.dossier = dossier
        role.save(update_fields=["dossier"])
        return
    if VICTIM_STATUS_ORDER.index(role.victim_status or "") > VICTIM_STATUS_ORDER.index(
            existing.victim_status or ""):
        existing.victim_status, existing.status_decided_by = (role.victim_status,
                                                              role.status_decided_by)
    if role.identified_on and (existing.identified_on is None
                               or role.identified_on < existing.identified_on):
        existing.identified_on = role.identified_on
    existing.form_of_exploitation = existing.form_of_exploitation or role.form_of_exploitation
    existing.save()
    role.delete()
