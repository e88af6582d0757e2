"""Comparing names as they are really written: accents dropped, word order changed, double
family names shortened, small typos. Shared by the data-subject search and (later) matching."""

import contextlib
import datetime as dt
import re

import jellyfish
from anyascii import anyascii
from rapidfuzz import fuzz

_NOT_LETTERS = re.compile(r"[^a-z0-9 ]+")


def normalise(text: str) -> str:
    """'José-Luis  RODRÍGUEZ' -> 'jose luis rodriguez'; other scripts are transliterated
    ('Дмитрий' -> 'dmitriy', '张伟' -> 'zhangwei')."""
    plain = anyascii(text or "").lower()
    return " ".join(_NOT_LETTERS.sub(" ", plain).split())


def digits(text: str) -> str:
    """A phone or document number reduced to what identifies it: '+599 717-8000' -> '5997178000'."""
    return "".join(c for c in anyascii(text or "").upper() if c.isalnum())


def name_key(*parts: str) -> str:
    """All name words, normalised and sorted, so word order does not matter."""
    return " ".join(sorted(set(normalise(" ".join(p for p in parts if p)).split())))


SOUNDS_ALIKE = 88


def name_similarity(query: str, stored: str, *, penalise_missing: bool = True) -> float:
    """0-100. token_set_ratio forgives a missing second family name and any word order; names
    that sound the same word for word (Gonsales, Gonzalez) count as close even when spelt
    apart. A data-subject search, which must find everything, does not penalise missing
    words; match suggestions, which must not flood the analyst, do."""
    a, b = normalise(query), normalise(stored)
    if not a or not b:
        return 0.0
    # A name that is a subset of the other (a second family name left out) still counts, but
    # less for every word missing: "Li" is not "Xiu Ying Li".
    missing = abs(len(a.split()) - len(b.split())) if penalise_missing else 0
    score = max(fuzz.token_set_ratio(a, b) - 8 * missing, fuzz.token_sort_ratio(a, b))
    if score < SOUNDS_ALIKE and phonetic_key(a) == phonetic_key(b):
        score = SOUNDS_ALIKE
    return score


def prefixes(text: str, length: int = 3) -> list[str]:
    """Short word beginnings to find candidates in the database despite typos further on;
    two-letter names (Li, Ng) count whole."""
    return sorted({word[:length] for word in normalise(text).split() if len(word) >= 2})


def phonetic_key(*parts: str) -> str:
    """Each name word by how it sounds (Metaphone), sorted: Katherine Smith and Catherine Smyth,
    Gonsales and Gonzalez, Youssef and Yusuf come out alike."""
    words = normalise(" ".join(p for p in parts if p)).split()
    return " ".join(sorted({jellyfish.metaphone(word) or word for word in words}))


def phone_key(phone: str) -> str:
    """The last seven digits: CN numbers are seven digits, written with or without +599."""
    value = "".join(c for c in phone or "" if c.isdigit())
    return value[-7:] if len(value) >= 6 else ""


# --- keys for finding a person by parts of a name (casework.matching) -------------------

# Letters that sound (nearly) the same in the region's languages: Spanish z/s, v/b, ll/y,
# qu/k; Dutch oe/u, ph/f, ck/k. Applied before Metaphone, which is made for English.
_SAME_SOUND = (("ph", "f"), ("ll", "y"), ("qu", "k"), ("ck", "k"), ("oe", "u"), ("z", "s"),
               ("v", "b"))
_VOWELS = set("aeiou")
# Deletion keys only for words this long: shorter words would meet too many others.
TYPO_MIN_LENGTH = 5


# Short forms as they are spoken and written in the region (normalised): a nickname finds and
# counts as a short form of its full name, as an initial does.
NICKNAMES = {
    "chepe": ("jose",), "pepe": ("jose",), "pepito": ("jose",), "cheo": ("jose",),
    "pancho": ("francisco",), "paco": ("francisco",), "fco": ("francisco",),
    "kiko": ("francisco", "enrique"), "lupe": ("guadalupe",), "nacho": ("ignacio",),
    "memo": ("guillermo",), "guille": ("guillermo",), "gmo": ("guillermo",),
    "tono": ("antonio",), "tony": ("antonio",), "ant": ("antonio",), "lucho": ("luis",),
    "beto": ("alberto", "roberto", "humberto"), "kike": ("enrique",),
    "chucho": ("jesus",), "chuy": ("jesus",), "jhs": ("jesus",), "nando": ("fernando",),
    "fdo": ("fernando",), "alex": ("alejandro", "alexander"), "ale": ("alejandra",),
    "dani": ("daniel", "daniela"), "manolo": ("manuel",), "manu": ("manuel",),
    "ma": ("maria",), "mary": ("maria",), "mari": ("maria",), "rosita": ("rosa",),
    "fina": ("josefina",), "tere": ("teresa",), "chabela": ("isabel",), "isa": ("isabel",),
    "vale": ("valentina",), "gaby": ("gabriela", "gabriel"), "migue": ("miguel",),
    "lalo": ("eduardo",), "charly": ("carlos",), "rafa": ("rafael",), "moncho": ("ramon",),
    "jan": ("johannes",), "hans": ("johannes",), "kees": ("cornelis",), "wim": ("willem",),
    "henk": ("hendrik",), "koos": ("jacobus",), "gert": ("gerrit",), "jo": ("johanna",),
    "anneke": ("johanna",), "mien": ("wilhelmina",), "wilma": ("wilhelmina",),
    "corrie": ("cornelia",), "lies": ("elisabeth",), "bep": ("elisabeth",),
    "md": ("mohammed", "muhammad"), "laxmi": ("lakshmi",), "rey": ("reynaldo",),
    "ronnie": ("ronaldo",), "bob": ("roberto", "robert"), "bill": ("william",),
}
# Words that join the parts of a family name; they say nothing of who someone is.
PARTICLES = frozenset({"van", "der", "den", "de", "del", "la", "las", "los", "da", "das",
                       "do", "dos", "di", "du", "le", "ter", "ten", "te", "y", "e", "vd",
                       "st", "dela"})


def full_forms(word: str) -> tuple[str, ...]:
    """The full names a short form or nickname stands for: 'pancho' -> ('francisco',)."""
    return NICKNAMES.get(word, ())


def name_words(*parts: str) -> list[str]:
    """The distinct normalised words of a name, in order of appearance."""
    return list(dict.fromkeys(normalise(" ".join(p for p in parts if p)).split()))


def respell(word: str) -> str:
    """A name word written as it sounds in the region's languages, still in letters:
    'yennifer' -> 'jennifer', 'mendizabal' -> 'mendisabal', 'hernandez' -> 'ernandes'."""
    spelt = word
    for written, sound in _SAME_SOUND:
        spelt = spelt.replace(written, sound)
    if spelt[:1] == "y" and spelt[1:2] in _VOWELS:
        spelt = "j" + spelt[1:]  # Yenifer / Jenifer, Yusmary / Jusmary
    if spelt[:1] == "h" and spelt[1:2] in _VOWELS:
        spelt = spelt[1:]  # a silent h in Spanish and Papiamentu
    return spelt


def word_sound(word: str) -> str:
    """How one name word sounds: Gonsales and Gonzalez, Yusmary and Jusmary, Hernandes and
    Ernandez come out alike."""
    spelt = respell(word)
    return jellyfish.metaphone(spelt) or spelt


def word_pairs(words: list[str]) -> list[str]:
    """Each two words of a name (sorted within the pair): 'miriam arrieta' is a pair of
    'miriam arrieta camargo', so a name with a word left out still meets its person."""
    usable = sorted({w for w in words if len(w) >= 2})
    if len(usable) == 1:
        return usable
    return [f"{a} {b}" for i, a in enumerate(usable) for b in usable[i + 1:]]


def typo_keys(word: str) -> set[str]:
    """The word with one letter left out, each way (a deletion neighbourhood): two words one
    typo apart (a letter dropped, added, changed or two swapped) share at least one key or
    one is a key of the other."""
    if len(word) < TYPO_MIN_LENGTH:
        return set()
    return {word[:i] + word[i + 1:] for i in range(len(word))}


def near_dates(born: dt.date) -> set[dt.date]:
    """Dates a partner may have written for this one: day and month swapped, the year off by
    one, one digit written wrong."""
    found = set()
    if born.day <= 12:
        found.add(dt.date(born.year, born.day, born.month))
    for year in (born.year - 1, born.year + 1):
        with contextlib.suppress(ValueError):  # 29 February
            found.add(born.replace(year=year))
    text = born.strftime("%Y%m%d")
    for i in range(2, 8):  # the century is not mistyped in practice
        for digit in "0123456789":
            changed = text[:i] + digit + text[i + 1:]
            try:
                found.add(dt.date(int(changed[:4]), int(changed[4:6]), int(changed[6:])))
            except ValueError:
                continue
    found.discard(born)
    return found
