"""Comparing names as they are really written: accents dropped, word order changed, double
family names shortened, small typos. Shared by the data-subject search and (later) matching."""

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
