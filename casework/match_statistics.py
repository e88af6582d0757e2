"""How common a mention's values are in the register: the u-probabilities of the scorer.

A fixed number of queries per mention: a word (or pair of words) many persons share comes
from the NameFrequency table (refreshed nightly), the others are counted live in one query,
each of them shared by fewer than COMMON_WORD persons when the table was made (run the task
once after migrating a large register); the register's size and the nationalities' shares
come from the newest MatchWeights row, or are counted when there is none yet (a new, small
register). Counted as
far as the analyst may know, so what only a restricted dossier says does not change a score.
"""

import math

from django.db.models import Count, Q

from casework.match_scoring import Statistics
from casework.models import MatchWeights, NameFrequency, PersonIdentifier
from casework.need_to_know import identifiers_visible_to
from register.models import Person, User
from register.names import digits, name_words, phone_key, word_pairs

COMMON_WORD = 500
# Words of a name that are counted; a longer name is rare enough by its first words.
WORDS_COUNTED = 6
# Pairs of the first this many words are counted (six pairs at most).
PAIRED_WORDS = 4
RARE = 3
SHARED_COUNTED = 20
NATIONALITY_COUNTED = 5000


def latest_weights() -> MatchWeights | None:
    return MatchWeights.objects.first()


def _uncounted_pair(stats: Statistics, pair: str) -> float:
    rare, other = sorted(stats.words[w] for w in pair.split())
    return rare * min(1.0, math.sqrt((other + 1) / stats.size))


def register_statistics(mention, user: User, learnt: MatchWeights | None) -> Statistics:
    kind = PersonIdentifier.Kind
    visible = identifiers_visible_to(user).filter(person__merged_into__isnull=True)
    stats = Statistics()
    if learnt and learnt.persons:
        stats.persons = learnt.persons
    else:
        stats.persons = Person.objects.filter(merged_into__isnull=True).count()
    words = [w for w in name_words(mention.name_key) if len(w) >= 2][:WORDS_COUNTED]
    pairs = word_pairs(words[:PAIRED_WORDS]) if len(words) > 1 else []
    common = dict(NameFrequency.objects.filter(value__in=words + pairs)
                  .values_list("value", "persons"))

    def counted(kind_counted: str, values: list[str]) -> dict[str, int]:
        """One query for all values the nightly table does not hold: each of those had
        fewer than COMMON_WORD persons last night, so the rows read stay few."""
        live = [value for value in values if value not in common]
        found = dict(visible.filter(kind=kind_counted, value__in=live).values("value")
                     .annotate(n=Count("person_id", distinct=True))
                     .values_list("value", "n")) if live else {}
        return {value: common.get(value, found.get(value, 0)) for value in values}

    stats.words = counted(kind.PART, words)
    # No more persons have both words than have the rarer one: a pair with a rare word is
    # not counted (the name is rare either way).
    counted_pairs = [p for p in pairs if min(stats.words[w] for w in p.split()) > RARE]
    # A pair with a rare word is not counted: as many persons as have the rarer word, the
    # other word counting half (not nothing: 'Jianli Ye' is rarer than 'Jianli').
    stats.pairs = {pair: _uncounted_pair(stats, pair) for pair in pairs}
    stats.pairs.update(counted(kind.PAIR, counted_pairs))
    if mention.phonetic_key:
        stats.sharing_name = (visible.filter(kind=kind.SOUND, value=mention.phonetic_key)
                              .values("person_id").distinct()[:COMMON_WORD].count())
    exact = Q()
    if phone := phone_key(mention.phone):
        exact |= Q(kind=kind.PHONE, value=phone)
    if document := digits(mention.document_number):
        exact |= Q(kind=kind.DOCUMENT, value=document)
    if exact:
        sharing = set(visible.filter(exact).values_list("kind", "person_id")
                      .distinct()[:2 * SHARED_COUNTED])
        stats.phone_sharing = max(1, sum(1 for k, _ in sharing if k == kind.PHONE))
        stats.document_sharing = max(1, sum(1 for k, _ in sharing if k == kind.DOCUMENT))
    if mention.nationality:
        shares = (learnt.m_probabilities.get("nationalities", {}) if learnt else {})
        if mention.nationality in shares:
            stats.nationality_share = shares[mention.nationality]
        else:
            count = Person.objects.filter(nationality=mention.nationality)[
                :NATIONALITY_COUNTED].count()
            stats.nationality_share = min(0.9, max(0.02, (count + 1) / (stats.persons + 10)))
    return stats
