"""How common a mention's values are in the register: the u-probabilities of the scorer.

Asked in the mention's one lookup query (casework.match_lookup), beside its candidates: a
word (or pair of words) many persons share comes from the NameFrequency table (refreshed
nightly), any other is counted live over at most COUNTED rows; so are the persons sharing
the whole name's sound, the phone and the document. The register's size and the
nationalities' shares come from the newest MatchWeights row in the same query, or are
counted when there is none yet (a new, small register). Counted as far as the analyst may
know, so what only a restricted dossier says does not change a score.
"""

import math

from casework.match_lookup import Found, Lookup
from casework.match_scoring import Statistics
from casework.models import MatchWeights, PersonIdentifier
from register.models import Person, User
from register.names import name_words, word_pairs

COMMON_WORD = 500
# Words of a name that are counted; a longer name is rare enough by its first words.
WORDS_COUNTED = 6
# Pairs of the first this many words are counted (six pairs at most).
PAIRED_WORDS = 4
RARE = 3
SHARED_COUNTED = 20
NATIONALITY_COUNTED = 5000
# A nationality no register person had when the weights were learnt.
RARE_NATIONALITY = 0.02
KIND = PersonIdentifier.Kind


def latest_weights() -> MatchWeights | None:
    return MatchWeights.objects.first()


def _uncounted_pair(stats: Statistics, pair: str) -> float:
    rare, other = sorted(stats.words[w] for w in pair.split())
    return rare * min(1.0, math.sqrt((other + 1) / stats.size))


def _counted_words(mention) -> tuple[list[str], list[str]]:
    words = [w for w in name_words(mention.name_key) if len(w) >= 2][:WORDS_COUNTED]
    pairs = word_pairs(words[:PAIRED_WORDS]) if len(words) > 1 else []
    return words, pairs


def ask_statistics(lookup: Lookup, mention) -> None:
    """Add to the mention's lookup query what its statistics need."""
    words, pairs = _counted_words(mention)
    for word in words:
        lookup.count("word", KIND.PART, word)
    # Every pair is counted; one with a rare word is then not used (statistics_from).
    for pair in pairs:
        lookup.count("pair", KIND.PAIR, pair)
    if mention.phonetic_key:
        lookup.count("sound", KIND.SOUND, mention.phonetic_key, common=False)
    lookup.register()


def statistics_from(found: Found, mention) -> Statistics:
    """The mention's statistics from what its lookup query found."""
    stats = Statistics()
    weights = found.weights or {}
    stats.persons = found.persons or 0
    words, pairs = _counted_words(mention)
    stats.words = {word: found.counts.get(("word", word), 0) for word in words}
    # No more persons have both words than have the rarer one: a pair with a rare word is
    # not counted (the name is rare either way), as many persons as have the rarer word, the
    # other word counting half (not nothing: 'Jianli Ye' is rarer than 'Jianli').
    stats.pairs = {pair: (found.counts.get(("pair", pair), 0)
                          if min(stats.words[w] for w in pair.split()) > RARE
                          else _uncounted_pair(stats, pair)) for pair in pairs}
    if mention.phonetic_key:
        stats.sharing_name = found.counts.get(("sound", mention.phonetic_key), 0)
    # The persons found by the phone or the document are those sharing it.
    sharing = {(kind, person) for person, kind in found.candidates
               if kind in (KIND.PHONE, KIND.DOCUMENT)}
    stats.phone_sharing = max(1, sum(1 for k, _ in sharing if k == KIND.PHONE))
    stats.document_sharing = max(1, sum(1 for k, _ in sharing if k == KIND.DOCUMENT))
    if mention.nationality:
        shares = weights.get("nationalities")
        if shares is not None:
            stats.nationality_share = shares.get(mention.nationality, RARE_NATIONALITY)
        else:  # nothing learnt yet: a new register, small enough to count
            count = Person.objects.filter(nationality=mention.nationality)[
                :NATIONALITY_COUNTED].count()
            stats.nationality_share = min(0.9, max(RARE_NATIONALITY,
                                                   (count + 1) / (stats.persons + 10)))
    return stats


def register_statistics(mention, user: User) -> Statistics:
    """The mention's statistics on their own (suggest_persons asks them with its
    candidates, in one query)."""
    lookup = Lookup(user)
    ask_statistics(lookup, mention)
    return statistics_from(lookup.run(), mention)
