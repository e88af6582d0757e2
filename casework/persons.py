"""Register persons: created from a signal's mention, enriched by later mentions, merged and
unmerged. The mentions themselves belong to the signals app and are reached by relation."""

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.dossier_persons import keep_better_role
from casework.models import PersonIdentifier, PersonMerge
from register.models import BirthPrecision, DossierPerson, Person, User
from register.names import (
    digits,
    name_key,
    name_words,
    phone_key,
    phonetic_key,
    typo_keys,
    word_pairs,
    word_sound,
)
from register.services.audit import audit_record


@dataclass(frozen=True)
class MentionFacts:
    """What one mention says about a person, as far as matching and the record need it."""

    family_name: str = ""
    given_names: str = ""
    alias: str = ""
    sex: str = ""
    date_of_birth: dt.date | None = None
    date_of_birth_precision: str = BirthPrecision.DAY
    nationality: str = ""
    phone: str = ""
    document_number: str = ""


def name_part_identifiers(name: str) -> list[tuple[str, str]]:
    """The keys that find a person by parts of a name (a NAME identifier's value)."""
    kind = PersonIdentifier.Kind
    words = name_words(name)
    values = [(kind.PART, word) for word in words]
    values += [(kind.PAIR, pair) for pair in word_pairs(words)]
    sounds = list(dict.fromkeys(word_sound(word) for word in words if len(word) >= 2))
    values += [(kind.PAIR_SOUND, pair) for pair in word_pairs(sounds)]
    values += [(kind.TYPO, key) for word in words for key in sorted(typo_keys(word))]
    return list(dict.fromkeys(values))


def identifiers_for(facts: MentionFacts) -> list[tuple[str, str]]:
    values = []
    for name in (name_key(facts.given_names, facts.family_name), name_key(facts.alias)):
        if name:
            values.append((PersonIdentifier.Kind.NAME, name))
            values += name_part_identifiers(name)
    if sound := phonetic_key(facts.given_names, facts.family_name):
        values.append((PersonIdentifier.Kind.SOUND, sound))
    if phone := phone_key(facts.phone):
        values.append((PersonIdentifier.Kind.PHONE, phone))
    if document := digits(facts.document_number):
        values.append((PersonIdentifier.Kind.DOCUMENT, document))
    return list(dict.fromkeys(values))


def add_identifiers(person: Person, facts: MentionFacts, mention_id: int | None = None
                    ) -> int:
    """Record the mention's name, its parts, phone and document as ways to find the person
    again; returns how many were new. Two queries, however many keys a name makes."""
    born = facts.date_of_birth
    known = set(PersonIdentifier.objects.filter(person=person, mention_id=mention_id)
                .values_list("kind", "value"))
    new = [PersonIdentifier(person=person, kind=kind, value=value, mention_id=mention_id,
                            birth_date=born, birth_year=born.year if born else None,
                            birth_precision=facts.date_of_birth_precision)
           for kind, value in identifiers_for(facts) if (kind, value) not in known]
    PersonIdentifier.objects.bulk_create(new)
    return len(new)


def person_create(*, actor: User, facts: MentionFacts, mention_id: int | None = None) -> Person:
    with transaction.atomic():
        person = Person.objects.create(
            family_name=facts.family_name, given_names=facts.given_names, alias=facts.alias,
            sex=facts.sex, date_of_birth=facts.date_of_birth,
            date_of_birth_precision=facts.date_of_birth_precision,
            nationality=facts.nationality, created_by=actor)
        add_identifiers(person, facts, mention_id)
        audit_record(actor=actor, action="register.person.created", obj=person)
    return person


def person_merge(*, actor: User, source: Person, target: Person) -> PersonMerge:
    """Merge `source` into `target`: its mentions, dossier roles and identifiers move over."""
    if source.pk == target.pk:
        raise ValidationError(_("A person cannot be merged with itself."))
    if source.merged_into_id or target.merged_into_id:
        raise ValidationError(_("One of these persons was already merged."))
    with transaction.atomic():
        moved_mentions = list(source.mentions.values_list("pk", flat=True))
        source.mentions.update(person=target)
        moved_roles, dropped_roles = [], []
        for role in DossierPerson.objects.filter(person=source):
            existing = DossierPerson.objects.filter(dossier=role.dossier_id, person=target,
                                                    role=role.role).first()
            if existing is None:
                role.person = target
                role.save(update_fields=["person"])
                moved_roles.append(role.pk)
                continue
            # Both had this role in the dossier: one row keeps the most that is known, and
            # both rows as they were are kept for an exact undo.
            dropped_roles.append({**_role_snapshot(role),
                                  "target_row": existing.pk,
                                  "target_before": _role_snapshot(existing)})
            keep_better_role(role, existing, existing.dossier)
        added = []
        for identifier in source.identifiers.all():
            try:
                with transaction.atomic():
                    added.append(PersonIdentifier.objects.create(
                        person=target, kind=identifier.kind, value=identifier.value,
                        mention_id=identifier.mention_id, birth_date=identifier.birth_date,
                        birth_year=identifier.birth_year,
                        birth_precision=identifier.birth_precision).pk)
            except IntegrityError:
                continue  # the target already had this identifier
        source.merged_into, source.merged_at = target, timezone.now()
        source.save(update_fields=["merged_into", "merged_at"])
        merge = PersonMerge.objects.create(
            source=source, target=target, moved_mentions=moved_mentions,
            moved_roles=moved_roles, dropped_roles=dropped_roles, added_identifiers=added,
            merged_by=actor)
        audit_record(actor=actor, action="register.person.merged", obj=target,
                     detail={"source": source.pk, "merge": merge.pk,
                             "mentions": len(moved_mentions)})
    return merge


def person_unmerge(*, actor: User, merge: PersonMerge) -> None:
    """Undo a merge exactly: what moved goes back, what was added is removed."""
    if merge.undone_at:
        raise ValidationError(_("This merge was already undone."))
    source, target = merge.source, merge.target
    with transaction.atomic():
        target.mentions.filter(pk__in=merge.moved_mentions).update(person=source)
        DossierPerson.objects.filter(pk__in=merge.moved_roles).update(person=source)
        for snapshot in merge.dropped_roles:
            snapshot = dict(snapshot)
            target_row, before = snapshot.pop("target_row", None), snapshot.pop(
                "target_before", None)
            DossierPerson.objects.create(person=source, **snapshot)
            if target_row and before:
                DossierPerson.objects.filter(pk=target_row).update(**{
                    k: v for k, v in before.items() if k not in ("dossier_id", "role")})
        PersonIdentifier.objects.filter(pk__in=merge.added_identifiers).delete()
        source.merged_into, source.merged_at = None, None
        source.save(update_fields=["merged_into", "merged_at"])
        _rebuild_identifiers(target)
        merge.undone_at, merge.undone_by = timezone.now(), actor
        merge.save(update_fields=["undone_at", "undone_by"])
        audit_record(actor=actor, action="register.person.unmerged", obj=source,
                     detail={"target": target.pk, "merge": merge.pk})


def _role_snapshot(role: DossierPerson) -> dict:
    return {"dossier_id": role.dossier_id, "role": role.role,
            "victim_status": role.victim_status, "status_decided_by": role.status_decided_by,
            "identified_on": role.identified_on.isoformat() if role.identified_on else None,
            "form_of_exploitation": role.form_of_exploitation}


def _rebuild_identifiers(person: Person) -> None:
    """After an undo, the person is found again by exactly what its mentions say."""
    for mention in person.mentions.all():
        add_identifiers(person, MentionFacts(
            family_name=mention.family_name, given_names=mention.given_names,
            alias=mention.alias, date_of_birth=mention.date_of_birth,
            date_of_birth_precision=mention.date_of_birth_precision, phone=mention.phone,
            document_number=mention.document_number), mention.pk)
