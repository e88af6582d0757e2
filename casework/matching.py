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

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from casework.match_lookup import Lookup, candidates_with_identifiers, visible_first_mentions
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
from casework.match_statistics import ask_statistics, statistics_from
from casework.models import PersonIdentifier
from casework.person_facts import show_facts
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


def ask_candidates(lookup: Lookup, mention: SignalPerson) -> None:
    """Add to the mention's lookup query the register persons worth scoring: each lookup by
    an index and a limit (need to know checked inside it, before the limit), so the cost
    does not grow with the register."""
    key, sound, born = mention.name_key, mention.phonetic_key, mention.date_of_birth
    words = [w for w in name_words(key) if len(w) >= 2]
    # A nickname also looks for its full name (Pancho for Francisco): more values in the
    # same lookups, not more lookups.
    words += [full for w in words for full in full_forms(w) if full not in words]
    pairs = word_pairs(words)
    pair_sounds = word_pairs([word_sound(w) for w in words])
    deletions = {d for w in words for d in typo_keys(w)}

    def whole(**near) -> None:
        lookup.candidates(KIND.NAME, [key] if key else [], limit=CANDIDATES, **near)
        lookup.candidates(KIND.SOUND, [sound] if sound else [], limit=CANDIDATES, **near)

    def two_words(**near) -> None:
        lookup.candidates(KIND.PAIR, pairs, limit=CANDIDATES, **near)
        lookup.candidates(KIND.PAIR_SOUND, pair_sounds, limit=CANDIDATES, **near)

    def one_typo(**near) -> None:
        # A word one typo away, never the same word: that is what the pairs find.
        lookup.candidates(KIND.TYPO, set(words) | deletions, limit=CANDIDATES, **near)
        lookup.candidates(KIND.PART, deletions, limit=CANDIDATES, **near)

    if words:
        if born:
            # Born the same year or one off comes first, however many share the name.
            years = (born.year - 1, born.year, born.year + 1)
            whole(years=years)
            two_words(years=years)
            one_typo(years=years)
            # A date written wrong: a digit, the year off by one, day and month swapped. So
            # few persons are born on those days that any word of the name will do (the word
            # as written, or with a letter more: with every word's typo keys too, PostgreSQL
            # reads all persons born on those days, 60,000 keys at a million).
            dates = {born} | near_dates(born)
            lookup.candidates(KIND.TYPO, words, dates=dates, limit=CANDIDATES)
            lookup.candidates(KIND.PART, words, dates=dates, limit=CANDIDATES)
        else:
            one_typo()
        whole()
        two_words()
    # No lookup by word beginnings, on any database: the keys above find what it found, and
    # one set of candidates on PostgreSQL and SQLite keeps their suggestions the same.
    if phone := phone_key(mention.phone):
        lookup.candidates(KIND.PHONE, [phone], limit=CANDIDATES)
    if document := digits(mention.document_number):
        lookup.candidates(KIND.DOCUMENT, [document], limit=CANDIDATES)


def _lookup(mention: SignalPerson, user: User) -> tuple[set[int], Statistics, dict]:
    """The candidates, the statistics and the learnt weights of a mention: one query."""
    lookup = Lookup(user)
    ask_candidates(lookup, mention)
    ask_statistics(lookup, mention)
    found = lookup.run()
    return ({person for person, _kind in found.candidates}, statistics_from(found, mention),
            found.weights or {})


def _candidate_ids(mention: SignalPerson, user: User) -> set[int]:
    """Register persons worth scoring, found through identifiers this user may use only."""
    return _lookup(mention, user)[0]


# Each level of agreement in words, translated only for the few suggestions shown.
_TEXTS = {
    "word.exact": lambda n: ngettext("%(count)d name word the same",
                                     "%(count)d name words the same", n),
    "word.sound": lambda n: ngettext("%(count)d name word sounding the same",
                                     "%(count)d name words sounding the same", n),
    "word.close": lambda n: ngettext("%(count)d name word one typo apart",
                                     "%(count)d name words one typo apart", n),
    "word.short": lambda n: ngettext("%(count)d name word as a short form or initial",
                                     "%(count)d name words as short forms or initials", n),
    "word.other": lambda n: ngettext("%(count)d name word different",
                                     "%(count)d name words different", n),
    "word.left_out": lambda n: ngettext("%(count)d name word left out",
                                        "%(count)d name words left out", n),
    "birth.exact": lambda n: _("date of birth equal"),
    "birth.swapped": lambda n: _("date of birth with day and month swapped"),
    "birth.digit": lambda n: _("date of birth one digit apart"),
    "birth.year_off": lambda n: _("date of birth with the year one off"),
    "birth.other": lambda n: _("another date of birth"),
    "year.same": lambda n: _("same year of birth"),
    "year.off": lambda n: _("year of birth one apart"),
    "year.other": lambda n: _("another year of birth"),
    "nationality.same": lambda n: _("same nationality"),
    "nationality.other": lambda n: _("another nationality"),
    "sex.same": lambda n: _("same sex"),
    "sex.other": lambda n: _("another sex"),
    "phone.same": lambda n: _("same phone number"),
    "phone.other": lambda n: _("another phone number"),
    "document.same": lambda n: _("same identity document"),
    "document.typo": lambda n: _("identity document one character apart"),
    "document.other": lambda n: _("another identity document"),
}


def _describe(agreement: Agreement) -> str:
    count = agreement.count
    text = _TEXTS[agreement.key](count) % {"count": count}
    if agreement.shared > 1:
        text += " " + _("(shared by %(count)d register persons)") % {"count": agreement.shared}
    return text


@dataclass
class Evidence:
    """What a person's names and dates of birth say (facts apart: they are read later, and
    only for the persons the names and dates make worth it)."""

    names: list[Agreement]
    name_total: float
    birth: Agreement | None


def name_and_birth(mention: SignalPerson, identifiers: list[PersonIdentifier],
                   stats: Statistics, m: dict[str, float]) -> Evidence:
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
    return Evidence(name_evidence, name_total or 0.0, birth)


def assess(mention: SignalPerson, person: Person, identifiers: list[PersonIdentifier],
           stats: Statistics, m: dict[str, float] | None = None, *,
           evidence: Evidence | None = None, explain: bool = True) -> Suggestion:
    """The match probability of mention and person, with the evidence for and against
    (in words only when `explain`)."""
    m = m or DEFAULT_M
    evidence = evidence or name_and_birth(mention, identifiers, stats, m)
    facts = compare_facts(
        mention, getattr(person, "shown_nationality", person.nationality),
        getattr(person, "shown_sex", person.sex),
        {i.value for i in identifiers if i.kind == KIND.PHONE},
        {i.value for i in identifiers if i.kind == KIND.DOCUMENT}, stats)
    others = ([evidence.birth] if evidence.birth else []) + facts
    log_odds = _prior(stats) + evidence.name_total + sum(a.weight(m) for a in others)
    chance = probability(log_odds)
    reasons, against = [], []
    if explain:
        weights: dict[str, float] = {}
        told: dict[str, Agreement] = {}
        for agreement in evidence.names + others:
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


def _prior(stats: Statistics) -> float:
    return -math.log2(stats.size)  # one person among the register's, or no one


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
    ids, stats, learnt = _lookup(mention, user)
    if not ids:
        return []
    # The candidates this analyst may see with what the scorer compares, in one query.
    persons = candidates_with_identifiers(user, ids, mention, list(COMPARED))
    m = {**DEFAULT_M, **learnt.get("m", {})}
    floor = WEAKER if weaker else THRESHOLD
    # Names, dates, phone and document first: who cannot reach the floor even with the best
    # nationality and sex is not given the facts this analyst may see (reading them costs a
    # query over their mentions).
    for person in persons:
        person.shown_nationality = person.shown_sex = ""  # not read yet: not compared
    evidence = {person.pk: name_and_birth(mention, person.usable, stats, m)
                for person in persons}
    bonus = _most_facts_can_add(mention, stats, m)
    hopeful = [person for person in persons if probability(
        assess(mention, person, person.usable, stats, m, evidence=evidence[person.pk],
               explain=False).log_odds + bonus) >= floor]
    scored = [suggestion for person in show_facts(hopeful, visible_first_mentions(user, hopeful))
              if (suggestion := assess(mention, person, person.usable, stats, m,
                                       evidence=evidence[person.pk], explain=False))
              .probability >= floor]
    scored.sort(key=lambda s: (-s.probability, s.person.pk))
    # The evidence in words for the few shown.
    return [assess(mention, s.person, s.person.usable, stats, m, evidence=evidence[s.person.pk])
            for s in scored[:limit]]
