"""How much each field says for or against a mention being a register person (Fellegi-Sunter).

Every field is compared at a level of agreement (a name word the same, sounding alike, one
typo apart, a short form, different, left out; a date equal, swapped, one digit apart, a year
off by one ...). A level weighs log2(m / u): m is how often the level occurs when mention and
person are the same person (defaults below, learnt from the analysts' judgements by
casework.match_learning), u how often it occurs for two different persons, taken from the
register itself where it can be (how many persons have this name word, this phone, this
nationality), so a rare name counts for more than a common one. A missing value weighs 0.
The weights add up with the prior odds of one person among the register's into a probability.
"""

import datetime as dt
import math
from dataclasses import dataclass, field
from functools import lru_cache

from rapidfuzz.distance import JaroWinkler, Levenshtein

from register.models import BirthPrecision
from register.names import (
    PARTICLES,
    digits,
    full_forms,
    name_words,
    phone_key,
    respell,
    word_sound,
)

# P(level | the same person), before the analysts have judged enough suggestions.
DEFAULT_M = {
    "word.exact": 0.80, "word.sound": 0.08, "word.close": 0.05, "word.short": 0.04,
    "word.other": 0.03, "word.left_out": 0.35,
    "birth.exact": 0.85, "birth.swapped": 0.02, "birth.digit": 0.04, "birth.year_off": 0.02,
    "birth.other": 0.07,
    "year.same": 0.90, "year.off": 0.06, "year.other": 0.04,
    "nationality.same": 0.93, "nationality.other": 0.07,
    "sex.same": 0.97, "sex.other": 0.03,
    "phone.same": 0.55, "phone.other": 0.45,
    "document.same": 0.85, "document.typo": 0.07, "document.other": 0.08,
}
# The register is treated as having at least this many persons more than it has: a small
# register says little about how common a name is, and an unseen word is not unique.
PSEUDO_PERSONS = 1000
# Dates of birth are spread over about sixty years.
YEARS, DAYS = 60, 365 * 60
SHORT_FORMS = {"ma": "maria", "fco": "francisco", "jhs": "jesus", "jse": "jose",
               "ant": "antonio", "gmo": "guillermo", "fdo": "fernando", "mª": "maria"}
SOUND_ALIKE_JW, CLOSE_JW = 0.94, 0.88


@dataclass
class Statistics:
    """What the register says about how common the mention's values are (match_statistics)."""

    persons: int = 0
    words: dict[str, int] = field(default_factory=dict)
    pairs: dict[str, float] = field(default_factory=dict)
    sharing_name: int = 0
    nationality_share: float = 0.1
    phone_sharing: int = 1
    document_sharing: int = 1

    @property
    def size(self) -> int:
        return self.persons + PSEUDO_PERSONS

    def word_share(self, word: str) -> float:
        return (self.words.get(word, 0) + 1) / self.size

    def joint_share(self, words: list[str]) -> float:
        """How many persons have all these words. Names are not drawn word by word (José goes
        with Luis, Rodríguez with Pérez, both with Venezuela): the product of the words'
        shares is a floor; no name is rarer than the persons sharing its rarest counted pair
        of words, each further word counting half."""
        product = math.prod(self.word_share(w) for w in words)
        rarest = min((self.word_share(w) for w in words), default=1.0)
        joint = product
        for i, a in enumerate(words):
            for b in words[i + 1:]:
                pair = " ".join(sorted((a, b)))
                if pair not in self.pairs:
                    continue
                rest = math.prod(math.sqrt(self.word_share(w)) for w in words
                                 if w not in (a, b))
                joint = max(joint, min(1.0, (self.pairs[pair] + 1) / self.size * rest))
        return min(joint, rarest)


@dataclass
class Agreement:
    """One field compared at one level; `count` words at that level, `shared` the register
    persons sharing a phone or document."""

    field: str
    level: str
    u: float
    count: int = 1
    shared: int = 0

    @property
    def key(self) -> str:
        return f"{self.field}.{self.level}"

    def weight(self, m: dict[str, float]) -> float:
        chance = m.get(self.key, DEFAULT_M[self.key])
        return self.count * math.log2(chance / min(max(self.u, 1e-9), 0.999))


@lru_cache(maxsize=100_000)
def _word_level(said: str, stored: str) -> tuple[str, float]:
    """(level, similarity) of two name words. Kept per process: the same pairs of words
    come back for every candidate sharing a name (a pure function of the two words)."""
    if said == stored:
        return "exact", 1.0
    short, long_ = sorted((said, stored), key=len)
    if (len(short) == 1 and long_.startswith(short)) or SHORT_FORMS.get(short) == long_ or (
            stored in full_forms(said) or said in full_forms(stored)) or (
            len(short) >= 3 and len(long_) > len(short) + 1 and long_.startswith(short)):
        return "short", 0.5
    similarity = JaroWinkler.similarity(said, stored)
    if word_sound(said) == word_sound(stored) or similarity >= SOUND_ALIKE_JW:
        return "sound", similarity
    if (Levenshtein.distance(said, stored) <= 1 or similarity >= CLOSE_JW
            or Levenshtein.distance(respell(said), respell(stored)) <= 1):
        return "close", similarity
    return "other", similarity


def _meaningful(words: list[str]) -> list[str]:
    """Name words without the particles joining family names ('van der', 'de la'): 'Van Der
    Meer' and 'Van Der Berg' share no word that says who someone is."""
    kept = [w for w in words if w not in PARTICLES]
    return kept or words


_LEVEL_ORDER = {"exact": 0, "sound": 1, "close": 2, "short": 3, "other": 4}


def compare_names(said: str, stored: str, stats: Statistics) -> list[Agreement]:
    """Name words paired best first; words left over on both sides count as different,
    words left over on one side only as left out (a second family name, a given name)."""
    mine, theirs = _meaningful(name_words(said)), _meaningful(name_words(stored))
    pairs = sorted(((_LEVEL_ORDER[level], -similarity, a, b, level)
                    for a in mine for b in theirs
                    for level, similarity in [_word_level(a, b)] if level != "other"))
    used_mine, used_theirs, agreements, same = set(), set(), [], []
    for _order, _similarity, a, b, level in pairs:
        if a in used_mine or b in used_theirs:
            continue
        used_mine.add(a)
        used_theirs.add(b)
        if level == "exact":
            same.append(a)
            continue
        share = stats.word_share(a if level != "short" else b)
        u = {"sound": 2 * share + 0.001, "close": 4 * share + 0.003, "short": 0.06}[level]
        agreements.append(Agreement("word", level, u))
    if same:
        # The words the same count together: u is the share of persons having them all.
        joint = stats.joint_share(same) ** (1 / len(same))
        agreements.insert(0, Agreement("word", "exact", joint, count=len(same)))
    left_mine, left_theirs = len(mine) - len(used_mine), len(theirs) - len(used_theirs)
    if different := min(left_mine, left_theirs):
        agreements.append(Agreement("word", "other", 0.9, count=different))
    if left_out := max(left_mine, left_theirs) - different:
        agreements.append(Agreement("word", "left_out", 0.7, count=left_out))
    return agreements


def name_weight(agreements: list[Agreement], m: dict, stats: Statistics) -> float:
    """Name words are not independent (José goes with Luis, Rodríguez with Pérez): a name can
    say no more than 'one of the persons sharing this name'."""
    total = sum(a.weight(m) for a in agreements)
    return min(total, math.log2(stats.size / max(1, stats.sharing_name)))


def _one_digit_apart(a: dt.date, b: dt.date) -> bool:
    return sum(x != y for x, y in zip(a.strftime("%Y%m%d"), b.strftime("%Y%m%d"),
                                      strict=True)) == 1


def _as_written(born: dt.date, precision: str) -> str:
    """1 January is how a year alone was written before the precision could be given, and
    how many partners still write it: such a date is compared by its year only."""
    return BirthPrecision.YEAR if (born.month, born.day) == (1, 1) else precision


def compare_births(said: dt.date | None, said_precision: str,
                   stored: list[tuple[dt.date, str]], m: dict | None = None
                   ) -> Agreement | None:
    """The best agreement of the mention's date of birth with any the person has; a date
    known only by its year (or month) is compared only so far."""
    if said is None or not stored:
        return None
    found = []
    said_precision = _as_written(said, said_precision)
    for born, precision in stored:
        precision = _as_written(born, precision)
        if said_precision != BirthPrecision.DAY or precision != BirthPrecision.DAY:
            months = BirthPrecision.YEAR not in (said_precision, precision)
            same = said.year == born.year and (not months or said.month == born.month)
            level = "same" if same else "off" if abs(said.year - born.year) == 1 else "other"
            u = {"same": 1 / YEARS / (12 if months else 1), "off": 2 / YEARS, "other": 0.95}
            found.append(Agreement("year", level, u[level]))
            continue
        if said == born:
            found.append(Agreement("birth", "exact", 1 / DAYS))
        elif (said.day, said.month, said.year) == (born.month, born.day, born.year):
            found.append(Agreement("birth", "swapped", 1 / DAYS))
        elif (said.month, said.day) == (born.month, born.day) and abs(said.year - born.year) == 1:
            found.append(Agreement("birth", "year_off", 2 / DAYS))
        elif _one_digit_apart(said, born):
            found.append(Agreement("birth", "digit", 25 / DAYS))
        else:
            found.append(Agreement("birth", "other", 0.99))
    return max(found, key=lambda a: a.weight(m or DEFAULT_M))


def compare_facts(mention, nationality: str, sex: str, phones: set[str], documents: set[str],
                  stats: Statistics) -> list[Agreement]:
    """Nationality, sex, phone and identity document; a phone or document several register
    persons share counts for less (siblings, a shared house phone, a recruiter's number)."""
    found = []
    if mention.nationality and nationality:
        same = mention.nationality == nationality
        # Names already say much about a nationality (a Rodríguez is rarely Dutch): a shared
        # nationality counts the square root of its share, less than on its own.
        share = math.sqrt(stats.nationality_share)
        found.append(Agreement("nationality", "same" if same else "other",
                               share if same else 1 - stats.nationality_share))
    said_sex = mention.sex if mention.sex not in ("", "unknown", "other") else ""
    if said_sex and sex and sex not in ("unknown", "other"):
        found.append(Agreement("sex", "same" if said_sex == sex else "other", 0.5))
    if (phone := phone_key(mention.phone)) and phones:
        if phone in phones:
            # The person itself is one of those sharing it; a phone is passed on within a
            # family or a house often enough that a phone no one else has is not certain.
            found.append(Agreement("phone", "same", _shared_u(stats.phone_sharing, 0.2, stats),
                                   shared=stats.phone_sharing))
        else:
            found.append(Agreement("phone", "other", 0.99))
    if (document := digits(mention.document_number)) and documents:
        if document in documents:
            found.append(Agreement("document", "same",
                                   _shared_u(stats.document_sharing, 0.01, stats),
                                   shared=stats.document_sharing))
        elif any(Levenshtein.distance(document, d) <= 1 for d in documents):
            found.append(Agreement("document", "typo", 1e-4))
        else:
            found.append(Agreement("document", "other", 0.99))
    return found


def _shared_u(sharing: int, alone: float, stats: Statistics) -> float:
    """A value no one else has is rare among all persons. A value several register persons
    share (a house phone, siblings, a recruiter's number) says only 'one of these': those
    persons also share a family name or more, so its weight is not added to theirs; it counts
    a little, less the more persons share it."""
    if sharing <= 1:
        return alone / stats.size
    return 0.5 * (sharing - 1) / sharing


def probability(log_odds: float) -> float:
    return 1 / (1 + 2 ** -max(-60.0, min(60.0, log_odds)))
