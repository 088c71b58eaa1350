"""A per-process directory of the units (without their boundaries) for the hot paths that name a unit by id
or walk up its path: taking in and routing a case. Rebuilt when the units change (suban.fingerprint_cache),
so a change made anywhere is seen here within settings.CACHE_CHECK_SECONDS.

The units it hands out are shared by every request of the process: read them, never change and save them.
"""

from __future__ import annotations

from collections.abc import Hashable

from suban.fingerprint_cache import FingerprintCache, rows_fingerprint
from suban.org.models import Unit, UnitKind


class Directory:
    def __init__(self, units: list[Unit]) -> None:
        self.by_id = {u.pk: u for u in units}
        self.by_code = {u.code: u for u in units}
        self.districts = sorted((u for u in units if u.kind == UnitKind.DISTRICT and u.parent_id is None), key=_pk)

    def get(self, pk: int) -> Unit | None:
        return self.by_id.get(pk)

    def ancestor_of_kind(self, unit: Unit, kind: str) -> Unit | None:
        """The nearest unit of `kind` on `unit`'s path, the unit itself included."""
        for code in reversed(unit.ancestor_codes()):
            found = self.by_code.get(code)
            if found is not None and found.kind == kind:
                return found
        return None

    def root_of(self, unit: Unit) -> Unit | None:
        codes = unit.ancestor_codes()
        return self.by_code.get(codes[0]) if codes else None


def _pk(unit: Unit) -> int:
    return int(unit.pk)


def _build() -> Directory:
    return Directory(list(Unit.objects.defer("boundary")))


def unit_fingerprint() -> Hashable:
    return rows_fingerprint(Unit)


_cache: FingerprintCache[Directory] = FingerprintCache(_build, unit_fingerprint)


def directory() -> Directory:
    return _cache.get()


def invalidate_directory() -> None:
    _cache.invalidate()
