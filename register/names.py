"""Comparing names as they are really written: accents dropped, word order changed, double
family names shortened, small typos. Shared by the data-subject search and (later) matching."""

import re

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


def name_similarity(query: str, stored: str) -> float:
    """0-100. token_set_ratio forgives a missing second family name and any word order."""
    a, b = normalise(query), normalise(stored)
    if not a or not b:
        return 0.0
    return max(fuzz.token_set_ratio(a, b), fuzz.token_sort_ratio(a, b))


def prefixes(text: str, length: int = 3) -> list[str]:
    """Short word beginnings to find candidates in the database despite typos further on."""
    return sorted({word[:length] for word in normalise(text).split() if len(word) >= length})
