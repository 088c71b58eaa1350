"""Address text → unit, for requests that come without a point.

Every unit name, alias and place name (and each of them without its generic suffix, 街道/社区/小区 …,
when at least two characters remain) is a term. The text is scanned once, leftmost-longest, with a dict
lookup per candidate length; the deepest unit that most of the matched text agrees with wins.
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from collections.abc import Hashable, Iterable
from dataclasses import dataclass

from suban.fingerprint_cache import FingerprintCache, rows_fingerprint
from suban.org.models import Place, Unit, UnitKind

# Longest first: "社区居委会" must win over "居委会".
GENERIC_SUFFIXES = (
    "街道办事处",
    "社区居委会",
    "居民委员会",
    "村民委员会",
    "街道办",
    "居委会",
    "村委会",
    "街道",
    "社区",
    "网格",
    "小区",
    "新村",
    "镇",
    "乡",
    "村",
)
MIN_TERM = 2


@dataclass(frozen=True)
class AddressMatch:
    unit: Unit
    matched: list[str]  # the pieces of text that point to the unit, in text order
    score: float  # share of the matched characters agreeing with the unit, divided among equal rivals; 0..1


@dataclass(frozen=True)
class RawMatch:
    unit_id: int
    matched: list[str]
    score: float


def normalize(text: str) -> str:
    """Full-width to half-width, no spaces, Latin letters in lower case."""
    return "".join(unicodedata.normalize("NFKC", text).split()).lower()


def strip_suffix(name: str) -> str | None:
    for suffix in GENERIC_SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= MIN_TERM:
            return name[: -len(suffix)]
    return None


class AddressMatcher:
    """Plain data, no database: built from (unit id, path, names) where names include aliases and places."""

    def __init__(self, units: Iterable[tuple[int, str, Iterable[str]]]) -> None:
        terms: dict[str, set[int]] = defaultdict(set)
        self.paths: dict[int, str] = {}
        for unit_id, path, names in units:
            self.paths[unit_id] = path
            for raw in names:
                name = normalize(raw)
                for term in (name, strip_suffix(name)):
                    if term and len(term) >= MIN_TERM:
                        terms[term].add(unit_id)
        self.terms: dict[str, tuple[int, ...]] = {t: tuple(sorted(ids)) for t, ids in terms.items()}
        lengths: dict[str, set[int]] = defaultdict(set)
        for term in self.terms:
            lengths[term[0]].add(len(term))
        # Per first character, the term lengths to try, longest first.
        self.lengths: dict[str, tuple[int, ...]] = {c: tuple(sorted(ls, reverse=True)) for c, ls in lengths.items()}

    def scan(self, text: str) -> list[str]:
        """Terms found in the text, leftmost-longest and not overlapping."""
        text = normalize(text)
        found: list[str] = []
        i, n = 0, len(text)
        terms, lengths = self.terms, self.lengths
        while i < n:
            for length in lengths.get(text[i], ()):
                piece = text[i : i + length]
                if len(piece) == length and piece in terms:
                    found.append(piece)
                    i += length
                    break
            else:
                i += 1
        return found

    def match(self, text: str) -> RawMatch | None:
        found = list(dict.fromkeys(self.scan(text)))  # each term once, in text order
        if not found:
            return None
        total = sum(len(t) for t in found)
        paths = self.paths
        ranked: list[tuple[int, int, int, list[str]]] = []  # (support, depth, -unit id, agreeing terms)
        for unit_id in {u for t in found for u in self.terms[t]}:
            path = paths[unit_id]
            # A term agrees with the unit when one of its units is the unit itself or above it.
            agreeing = [t for t in found if any(path.startswith(paths[c]) for c in self.terms[t])]
            ranked.append((sum(len(t) for t in agreeing), path.count("/"), -unit_id, agreeing))
        ranked.sort(key=lambda r: r[:3], reverse=True)
        support, depth, neg_id, agreeing = ranked[0]
        # Two units named alike and equally supported (同名社区 in two streets): the text does not decide.
        ties = sum(1 for r in ranked if r[:2] == (support, depth))
        return RawMatch(unit_id=-neg_id, matched=agreeing, score=support / total / ties)


def build_matcher_from_db() -> AddressMatcher:
    names: dict[int, list[str]] = {}
    paths: dict[int, str] = {}
    units = Unit.objects.filter(is_active=True).exclude(kind=UnitKind.DEPARTMENT)
    for pk, path, name, aliases in units.values_list("pk", "path", "name", "aliases").iterator(chunk_size=2000):
        paths[pk] = path
        names[pk] = [name, *(a.strip() for a in aliases.replace("，", ",").split(",") if a.strip())]
    for unit_id, name in Place.objects.values_list("unit_id", "name").iterator(chunk_size=2000):
        if unit_id in names:
            names[unit_id].append(name)
    return AddressMatcher((pk, paths[pk], names[pk]) for pk in paths)


def address_fingerprint() -> Hashable:
    return rows_fingerprint(Unit, Place)


_matcher_cache: FingerprintCache[AddressMatcher] = FingerprintCache(build_matcher_from_db, address_fingerprint)


def match_address(text: str) -> AddressMatch | None:
    """The most specific unit the address text names, or None when no name occurs in it."""
    raw = _matcher_cache.get().match(text)
    if raw is None:
        return None
    unit = Unit.objects.filter(pk=raw.unit_id).first()
    return AddressMatch(unit=unit, matched=raw.matched, score=raw.score) if unit is not None else None


def invalidate_address_matcher() -> None:
    _matcher_cache.invalidate()
