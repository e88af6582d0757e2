"""Which register persons a mention in a signal may be about, and why.

Candidates come from the database by indexed lookups only, each bounded, so the cost does not
grow with the register: the same normalised name or the same sound of the name, first among
those born the same year; names somewhat alike among those born the same day; the same phone
or identity document (on SQLite also names sharing a word beginning). At most a few dozen are
scored here. Scores combine name likeness (accents, word order, double family names,
transliteration, typos), how many register persons share the name, date of birth (equal,
day/month swapped, year only), nationality, phone and identity document.
"""

import datetime as dt
import math
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Prefetch, Q
from django.utils.translation import gettext as _

from casework.models import PersonIdentifier
from casework.need_to_know import (
    hidden_mentions,
    identifiers_visible_to,
    persons_visible_to,
)
from casework.person_facts import attach_visible_facts
from register.models import Person, User
from register.names import digits, name_similarity, phone_key, prefixes
from register.subject_search import birth_date_reasons
from signals.models import SignalPerson

CANDIDATES = 40
THRESHOLD = 64
SHOWN = 5
# A suggestion far below the best one is noise once a strong match is there.
BEHIND_BEST = 15
# A name many register persons share says little by itself (Fellegi-Sunter's frequency
# weight): up to this many points come off the name when so many share its sound.
COMMON_NAME_PENALTY = 30
COMMON = 64
# A shared birthday counts in full only for names this alike: in a large register many
# persons born on one day have a name that is somewhat alike.
FULL_BIRTH_CREDIT = 85
# Persons born on one day that are looked at: the day's share of a million persons and more.
SAME_BIRTHDAY = 200


@dataclass
class Suggestion:
    person: Person
    score: int
    reasons: list[str] = field(default_factory=list)


def _candidate_ids(mention: SignalPerson, user: User) -> set[int]:
    """Register persons worth scoring, each lookup bounded by an index and a limit, so the
    cost does not grow with the register. Found through identifiers this user may use only:
    need to know is checked once, on the few rows found, not inside every lookup."""
    found: list[tuple[int, int | None]] = []

    def take(queryset, limit: int = CANDIDATES) -> None:
        found.extend(queryset.values_list("person_id", "mention_id")[:limit])

    key, sound, born = mention.name_key, mention.phonetic_key, mention.date_of_birth
    identifiers = PersonIdentifier.objects.all()
    names = identifiers.filter(kind=PersonIdentifier.Kind.NAME)
    sounds = identifiers.filter(kind=PersonIdentifier.Kind.SOUND)
    if born:
        # The same name (or sound) born the same year comes first, however many share the
        # name: a swapped day and month, or only the year, keep the year.
        for queryset, value in ((names, key), (sounds, sound)):
            if value:
                take(queryset.filter(value=value, birth_year=born.year))
        # Born on the same day (or with day and month swapped): a few dozen persons even in
        # a large register, among whom a name with a word left out or misspelt still stands
        # out. Only names somewhat alike are kept, so few persons are fetched.
        days = {born} | ({dt.date(born.year, born.day, born.month)} if born.day <= 12 else set())
        found.extend((person, mention_id) for person, mention_id, value in names.filter(
            birth_date__in=days).values_list("person_id", "mention_id", "value")[:SAME_BIRTHDAY]
            if name_similarity(key, value, penalise_missing=False) >= 60)
    for queryset, value in ((names, key), (sounds, sound)):
        if value:
            take(queryset.filter(value=value))
    if key and connection.vendor != "postgresql":
        # A small local register (SQLite) also looks at names sharing a word beginning.
        # PostgreSQL does not: a trigram search over a million names cost more than all the
        # rest together and found no one the keys above missed (bench/).
        words = Q()
        for start in prefixes(key, 4):
            words |= Q(value__contains=start)
        if words:
            take(names.filter(words), CANDIDATES * 5)
    exact = Q()
    if phone := phone_key(mention.phone):
        exact |= Q(kind=PersonIdentifier.Kind.PHONE, value=phone)
    if document := digits(mention.document_number):
        exact |= Q(kind=PersonIdentifier.Kind.DOCUMENT, value=document)
    if exact:
        take(identifiers.filter(exact))
    # Each lookup is limited before hidden rows are dropped: a restricted dossier full of one
    # common name can crowd out a visible namesake (never show a hidden one). Checking need to
    # know inside every lookup cost more than the lookups themselves (bench/).
    hidden = hidden_mentions(user, {m for _, m in found if m is not None})
    return {person for person, mention_id in found if mention_id not in hidden}


def sharing_the_name(mention: SignalPerson, user: User) -> int:
    """How many register persons (up to COMMON) have a name that sounds like this one, as far
    as this user may know: what only a restricted dossier says must not change the scores."""
    if not mention.phonetic_key:
        return 0
    return (identifiers_visible_to(user)
            .filter(kind=PersonIdentifier.Kind.SOUND, value=mention.phonetic_key,
                    person__merged_into__isnull=True)
            .values("person_id").distinct()[:COMMON].count())


def common_name_penalty(sharing: int) -> int:
    return min(COMMON_NAME_PENALTY, round(6 * math.log2(sharing))) if sharing > 1 else 0


def score(mention: SignalPerson, person: Person, identifiers: list[PersonIdentifier],
          *, sharing: int = 0):
    """(score 0-100, reasons) for how well a mention fits a register person; `sharing` is how
    many register persons have a name that sounds the same."""
    reasons = []
    names = [i for i in identifiers if i.kind == PersonIdentifier.Kind.NAME]
    name = max((name_similarity(mention.name_key, i.value) for i in names), default=0)
    total = name * 0.6 - common_name_penalty(sharing)
    if name >= 60:
        reasons.append(_("name %(score)d%% alike") % {"score": name})
    births = {i.birth_date for i in names if i.birth_date}
    best_birth, birth_reason = max(
        (birth_date_reasons(mention.date_of_birth, born) for born in births),
        default=(0, None), key=lambda pair: pair[0])
    # A shared birthday does not make unlike names alike.
    total += best_birth if name >= FULL_BIRTH_CREDIT or best_birth < 0 else best_birth / 2
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
    ids = _candidate_ids(mention, user)
    if not ids:
        return []
    rejected = mention.rejections.values_list("person_id", flat=True)
    persons = (persons_visible_to(user).filter(pk__in=ids).exclude(pk__in=rejected)
               .exclude(pk=mention.person_id or 0)
               .prefetch_related(Prefetch("identifiers", identifiers_visible_to(user),
                                          to_attr="usable")))
    suggestions = []
    sharing = sharing_the_name(mention, user)
    for person in attach_visible_facts(user, persons):
        points, reasons = score(mention, person, person.usable, sharing=sharing)
        if points >= THRESHOLD:
            suggestions.append(Suggestion(person, points, reasons))
    suggestions.sort(key=lambda s: (-s.score, s.person.pk))
    if suggestions:
        best = suggestions[0].score
        suggestions = [s for s in suggestions if s.score >= best - BEHIND_BEST]
    return suggestions[:limit]
