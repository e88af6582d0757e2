"""Which register persons a mention in a signal may be about, how likely, and why.

Candidates come from the database by indexed lookups only, a fixed number per mention and
each bounded by a limit, so the cost does not grow with the register. They do not depend on
the date of birth being right or given: the whole name or its sound, any two words of the
name or their sound (a word left out), a word one typo apart (a letter dropped, added,
changed or swapped), each first among those born the same year or one off, and any name word
with a date written near the mention's (a digit wrong, a year off, day and month swapped);
then the same phone or identity document. Each candidate gets a match probability from
Fellegi-Sunter weights (casework.match_scoring) with the evidence for and against in words.
"""

import math
from dataclasses import dataclass, field

from django.db.models import Prefetch, Q
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from casework.match_scoring import (
    DEFAULT_M,
    Agreement,
    Statistics,
    compare_births,
    compare_facts,
    compare_names,
    name_weight,
    probability,
)
from casework.match_statistics import latest_weights, register_statistics
from casework.models import PersonIdentifier
from casework.need_to_know import (
    hidden_mentions,
    identifiers_visible_to,
    persons_visible_to,
)
from casework.person_facts import attach_visible_facts
from register.models import Person, User
from register.names import (
    digits,
    full_forms,
    name_key,
    name_words,
    near_dates,
    phone_key,
    typo_keys,
    word_pairs,
    word_sound,
)
from signals.models import SignalPerson

CANDIDATES = 40
# The match probability from which a person is suggested. Chosen for a precision of at least
# 0.97 on the labelled synthetic population (casework.match_quality, `manage.py
# evaluate_matching` prints the precision at other thresholds): at 0.5 the weights say the
# mention is more likely this person than anyone else or no one in the register.
THRESHOLD = 0.5
# "Show weaker matches": what the register was not sure of, down to this probability.
WEAKER = 0.005
SHOWN = 5
KIND = PersonIdentifier.Kind
# What the scorer reads of a candidate; the keys made to find persons are not needed.
COMPARED = (KIND.NAME, KIND.PHONE, KIND.DOCUMENT)


@dataclass
class Suggestion:
    person: Person
    score: int
    reasons: list[str] = field(default_factory=list)
    against: list[str] = field(default_factory=list)
    probability: float = 0.0
    log_odds: float = 0.0

    @property
    def weak(self) -> bool:
        return self.probability < THRESHOLD


def _candidate_ids(mention: SignalPerson, user: User) -> set[int]:
    """Register persons worth scoring, each lookup bounded by an index and a limit, so the
    cost does not grow with the register. Found through identifiers this user may use only:
    need to know is checked once, on the few rows found, not inside every lookup."""
    found: list[tuple[int, int | None]] = []

    def take(queryset, limit: int = CANDIDATES) -> None:
        found.extend(queryset.values_list("person_id", "mention_id")[:limit])

    key, sound, born = mention.name_key, mention.phonetic_key, mention.date_of_birth
    identifiers = PersonIdentifier.objects.all()
    words = [w for w in name_words(key) if len(w) >= 2]
    # A nickname also looks for its full name (Pancho for Francisco): more values in the
    # same lookups, not more lookups.
    words += [full for w in words for full in full_forms(w) if full not in words]
    whole = Q(pk__in=[])
    if key:
        whole |= Q(kind=KIND.NAME, value=key)
    if sound:
        whole |= Q(kind=KIND.SOUND, value=sound)
    pairs = (Q(kind=KIND.PAIR, value__in=word_pairs(words))
             | Q(kind=KIND.PAIR_SOUND, value__in=word_pairs([word_sound(w) for w in words])))
    deletions = {d for w in words for d in typo_keys(w)}
    # A word one typo away, never the same word: that is what the pairs find.
    typo = Q(kind=KIND.TYPO, value__in=set(words) | deletions) | Q(kind=KIND.PART,
                                                                   value__in=deletions)
    any_word = typo | Q(kind=KIND.PART, value__in=words)
    if words:
        if born:
            # Born the same year or one off comes first, however many share the name.
            years = (born.year - 1, born.year, born.year + 1)
            take(identifiers.filter(whole, birth_year__in=years))
            take(identifiers.filter(pairs, birth_year__in=years))
            take(identifiers.filter(typo, birth_year__in=years))
            # A date written wrong: a digit, the year off by one, day and month swapped. So
            # few persons are born on those days that any word of the name will do.
            take(identifiers.filter(any_word, birth_date__in={born} | near_dates(born)))
        else:
            take(identifiers.filter(typo))
        take(identifiers.filter(whole))
        take(identifiers.filter(pairs))
    # No lookup by word beginnings, on any database: the keys above find what it found, and
    # one set of candidates on PostgreSQL and SQLite keeps their suggestions the same.
    exact = Q()
    if phone := phone_key(mention.phone):
        exact |= Q(kind=KIND.PHONE, value=phone)
    if document := digits(mention.document_number):
        exact |= Q(kind=KIND.DOCUMENT, value=document)
    if exact:
        take(identifiers.filter(exact))
    # Each lookup is limited before hidden rows are dropped: a restricted dossier full of one
    # common name can crowd out a visible namesake (never show a hidden one). Checking need to
    # know inside every lookup cost more than the lookups themselves (bench/).
    hidden = hidden_mentions(user, {m for _, m in found if m is not None})
    return {person for person, mention_id in found if mention_id not in hidden}


def _describe(agreement: Agreement) -> str:
    count, level = agreement.count, agreement.key
    texts = {
        "word.exact": ngettext("%(count)d name word the same", "%(count)d name words the same",
                               count),
        "word.sound": ngettext("%(count)d name word sounding the same",
                               "%(count)d name words sounding the same", count),
        "word.close": ngettext("%(count)d name word one typo apart",
                               "%(count)d name words one typo apart", count),
        "word.short": ngettext("%(count)d name word as a short form or initial",
                               "%(count)d name words as short forms or initials", count),
        "word.other": ngettext("%(count)d name word different",
                               "%(count)d name words different", count),
        "word.left_out": ngettext("%(count)d name word left out",
                                  "%(count)d name words left out", count),
        "birth.exact": _("date of birth equal"),
        "birth.swapped": _("date of birth with day and month swapped"),
        "birth.digit": _("date of birth one digit apart"),
        "birth.year_off": _("date of birth with the year one off"),
        "birth.other": _("another date of birth"),
        "year.same": _("same year of birth"),
        "year.off": _("year of birth one apart"),
        "year.other": _("another year of birth"),
        "nationality.same": _("same nationality"),
        "nationality.other": _("another nationality"),
        "sex.same": _("same sex"),
        "sex.other": _("another sex"),
        "phone.same": _("same phone number"),
        "phone.other": _("another phone number"),
        "document.same": _("same identity document"),
        "document.typo": _("identity document one character apart"),
        "document.other": _("another identity document"),
    }
    text = texts[level] % {"count": count}
    if agreement.shared > 1:
        text += " " + _("(shared by %(count)d register persons)") % {"count": agreement.shared}
    return text


def assess(mention: SignalPerson, person: Person, identifiers: list[PersonIdentifier],
           stats: Statistics, m: dict[str, float] | None = None) -> Suggestion:
    """The match probability of mention and person, with the evidence for and against."""
    m = m or DEFAULT_M
    names = [i for i in identifiers if i.kind == KIND.NAME]
    proper = name_key(mention.given_names, mention.family_name)
    alias = name_key(mention.alias)
    said = [(proper or mention.name_key, False)] if proper or not alias else []
    said += [(alias, True)] if alias else []
    name_evidence, name_total = [], None
    for spelling, is_alias in said:
        for name in names:
            agreements = compare_names(spelling, name.value, stats)
            total = name_weight(agreements, m, stats)
            if is_alias and total < 0:
                continue  # an alias the register does not know says nothing against
            if name_total is None or total > name_total:
                name_evidence, name_total = agreements, total
    births = {(i.birth_date, i.birth_precision) for i in names if i.birth_date}
    birth = compare_births(mention.date_of_birth, mention.date_of_birth_precision,
                           sorted(births), m)
    facts = compare_facts(
        mention, getattr(person, "shown_nationality", person.nationality),
        getattr(person, "shown_sex", person.sex),
        {i.value for i in identifiers if i.kind == KIND.PHONE},
        {i.value for i in identifiers if i.kind == KIND.DOCUMENT}, stats)
    others = ([birth] if birth else []) + facts
    prior = -math.log2(stats.size)  # one person among the register's, or no one
    log_odds = prior + (name_total or 0) + sum(a.weight(m) for a in others)
    chance = probability(log_odds)
    reasons, against = [], []
    weights: dict[str, float] = {}
    told: dict[str, Agreement] = {}
    for agreement in name_evidence + others:
        # Name words at one level are told once ("2 name words sounding the same").
        weights[agreement.key] = weights.get(agreement.key, 0) + agreement.weight(m)
        if agreement.key in told:
            told[agreement.key].count += agreement.count
        else:
            told[agreement.key] = Agreement(agreement.field, agreement.level, agreement.u,
                                            agreement.count, agreement.shared)
    for key, agreement in told.items():
        (reasons if weights[key] > 0 else against).append(_describe(agreement))
    return Suggestion(person, round(100 * chance), reasons, against, chance, log_odds)


def _most_facts_can_add(mention: SignalPerson, stats: Statistics, m: dict) -> float:
    """What nationality and sex add at most: who cannot reach the floor even with them is
    not given the facts this analyst may see (reading them costs a query over their
    mentions)."""
    bonus = 0.0
    if mention.nationality:
        bonus += Agreement("nationality", "same",
                           math.sqrt(stats.nationality_share)).weight(m)
    if mention.sex in ("female", "male"):
        bonus += Agreement("sex", "same", 0.5).weight(m)
    return max(0.0, bonus)


def suggest_persons(mention: SignalPerson, *, user: User, limit: int = SHOWN,
                    weaker: bool = False) -> list[Suggestion]:
    """The most likely few register persons this mention is about, never a rejected pair,
    never a person the analyst may not see; with `weaker`, also those the register was not
    sure of (down to WEAKER)."""
    ids = _candidate_ids(mention, user)
    if not ids:
        return []
    # A mention not yet saved (a row in an import's preview) has no rejections yet.
    rejected = mention.rejections.values_list("person_id", flat=True) if mention.pk else []
    persons = (persons_visible_to(user).filter(pk__in=ids).exclude(pk__in=rejected)
               .exclude(pk=mention.person_id or 0)
               .prefetch_related(Prefetch("identifiers",
                                          identifiers_visible_to(user).filter(kind__in=COMPARED),
                                          to_attr="usable")))
    learnt = latest_weights()
    m = {**DEFAULT_M, **(learnt.m_probabilities.get("m", {}) if learnt else {})}
    stats = register_statistics(mention, user, learnt)
    floor = WEAKER if weaker else THRESHOLD
    persons = list(persons)
    for person in persons:
        person.shown_nationality = person.shown_sex = ""  # not read yet: not compared
    bonus = _most_facts_can_add(mention, stats, m)
    hopeful = [person for person in persons if probability(
        assess(mention, person, person.usable, stats, m).log_odds + bonus) >= floor]
    suggestions = [suggestion for person in attach_visible_facts(user, hopeful)
                   if (suggestion := assess(mention, person, person.usable, stats, m))
                   .probability >= floor]
    suggestions.sort(key=lambda s: (-s.probability, s.person.pk))
    return suggestions[:limit]
