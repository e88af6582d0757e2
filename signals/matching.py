"""Which register persons a mention in a signal may be about, and why.

Candidates come from the database by indexed lookups only (trigram similarity on name variants
on PostgreSQL, word prefixes on SQLite, exact phone and document), at most a few dozen; they
are then scored here. Scores combine name likeness (accents, word order, double family names,
transliteration, typos), date of birth (equal, day/month swapped, year only), nationality,
phone and identity document.
"""

from dataclasses import dataclass, field

from django.contrib.postgres.search import TrigramSimilarity
from django.db import connection
from django.db.models import Prefetch, Q
from django.utils.translation import gettext as _

from register.models import Person, PersonIdentifier, User
from register.names import digits, name_similarity, prefixes
from register.selectors.dossiers import identifiers_visible_to, persons_visible_to
from register.services.persons import phone_key
from register.subject_search import birth_date_reasons
from signals.models import SignalPerson
from signals.person_facts import attach_visible_facts

CANDIDATES = 40
THRESHOLD = 64
SHOWN = 5
# A suggestion far below the best one is noise once a strong match is there.
BEHIND_BEST = 15
TRIGRAM_FLOOR = 0.3


@dataclass
class Suggestion:
    person: Person
    score: int
    reasons: list[str] = field(default_factory=list)


def _candidate_ids(mention: SignalPerson, identifiers) -> set[int]:
    ids: set[int] = set()
    key = mention.name_key
    names = identifiers.filter(kind=PersonIdentifier.Kind.NAME)
    if key and connection.vendor == "postgresql":
        ids |= set(names.filter(value__trigram_similar=key)
                   .annotate(similarity=TrigramSimilarity("value", key))
                   .filter(similarity__gte=TRIGRAM_FLOOR)
                   .order_by("-similarity").values_list("person_id", flat=True)[:CANDIDATES])
    elif key:
        words = Q()
        for start in prefixes(key, 4):
            words |= Q(value__contains=start)
        if words:
            ids |= set(names.filter(words).values_list("person_id", flat=True)[:CANDIDATES * 5])
    if sound := mention.phonetic_key:
        ids |= set(identifiers.filter(kind=PersonIdentifier.Kind.SOUND, value=sound)
                   .values_list("person_id", flat=True)[:CANDIDATES])
    exact = Q()
    if phone := phone_key(mention.phone):
        exact |= Q(kind=PersonIdentifier.Kind.PHONE, value=phone)
    if document := digits(mention.document_number):
        exact |= Q(kind=PersonIdentifier.Kind.DOCUMENT, value=document)
    if exact:
        ids |= set(identifiers.filter(exact)
                   .values_list("person_id", flat=True)[:CANDIDATES])
    return ids


def score(mention: SignalPerson, person: Person, identifiers: list[PersonIdentifier]):
    """(score 0-100, reasons) for how well a mention fits a register person."""
    reasons = []
    names = [i for i in identifiers if i.kind == PersonIdentifier.Kind.NAME]
    name = max((name_similarity(mention.name_key, i.value) for i in names), default=0)
    total = name * 0.6
    if name >= 60:
        reasons.append(_("name %(score)d%% alike") % {"score": name})
    births = {i.birth_date for i in names if i.birth_date}
    best_birth, birth_reason = max(
        (birth_date_reasons(mention.date_of_birth, born) for born in births),
        default=(0, None), key=lambda pair: pair[0])
    # A shared birthday does not make unlike names alike.
    total += best_birth if name >= 75 or best_birth < 0 else best_birth / 2
    if birth_reason:
        reasons.append(birth_reason)
    nationality = getattr(person, "shown_nationality", person.nationality)
    if mention.nationality and nationality:
        if mention.nationality == nationality:
            total += 8
            reasons.append(_("same nationality"))
        else:
            total -= 12
    values = {(i.kind, i.value) for i in identifiers}
    if (phone := phone_key(mention.phone)) and (PersonIdentifier.Kind.PHONE, phone) in values:
        total += 35
        reasons.append(_("same phone number"))
    document = digits(mention.document_number)
    if document and (PersonIdentifier.Kind.DOCUMENT, document) in values:
        total += 60
        reasons.append(_("same identity document"))
    return max(0, min(100, round(total))), reasons


def suggest_persons(mention: SignalPerson, *, user: User, limit: int = SHOWN) -> list[Suggestion]:
    """The best few register persons this mention may be about, never a rejected pair, never
    a person the analyst may not see."""
    identifiers = identifiers_visible_to(user)
    ids = _candidate_ids(mention, identifiers)
    if not ids:
        return []
    rejected = mention.rejections.values_list("person_id", flat=True)
    persons = (persons_visible_to(user).filter(pk__in=ids).exclude(pk__in=rejected)
               .exclude(pk=mention.person_id or 0)
               .prefetch_related(Prefetch("identifiers", identifiers, to_attr="usable")))
    suggestions = []
    for person in attach_visible_facts(user, persons):
        points, reasons = score(mention, person, person.usable)
        if points >= THRESHOLD:
            suggestions.append(Suggestion(person, points, reasons))
    suggestions.sort(key=lambda s: (-s.score, s.person.pk))
    if suggestions:
        best = suggestions[0].score
        suggestions = [s for s in suggestions if s.score >= best - BEHIND_BEST]
    return suggestions[:limit]
