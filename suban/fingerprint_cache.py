"""Per-process copies of master data (grid index, address matcher, calendar), refreshed when the rows change."""

from __future__ import annotations

import threading
import time
import weakref
from collections.abc import Callable, Hashable
from typing import Any, Generic, TypeVar

from django.conf import settings
from django.db.models import Count, Max, Model

T = TypeVar("T")


class FingerprintCache(Generic[T]):
    """A value built from the database, rebuilt when `fingerprint()` changes.

    The fingerprint is checked at most every settings.CACHE_CHECK_SECONDS (0: on every call);
    between checks `get()` is a clock read and a comparison, with no lock and no query.
    """

    def __init__(self, build: Callable[[], T], fingerprint: Callable[[], Hashable]) -> None:
        self._build = build
        self._fingerprint = fingerprint
        self._lock = threading.Lock()
        self._state: tuple[T, Hashable, float] | None = None
        _ALL.add(self)

    def get(self) -> T:
        interval = settings.CACHE_CHECK_SECONDS
        state = self._state
        if state is not None and time.monotonic() - state[2] < interval:
            return state[0]
        with self._lock:
            state = self._state
            now = time.monotonic()
            if state is not None and now - state[2] < interval:
                return state[0]  # another thread checked while we waited
            # Fingerprint first: a change racing the build makes the next check rebuild again, never miss it.
            fingerprint = self._fingerprint()
            if state is not None and state[1] == fingerprint:
                self._state = (state[0], fingerprint, now)
                return state[0]
            value = self._build()
            self._state = (value, fingerprint, time.monotonic())
            return value

    def invalidate(self) -> None:
        with self._lock:
            self._state = None


_ALL: weakref.WeakSet[FingerprintCache[Any]] = weakref.WeakSet()


def invalidate_all() -> None:
    """Drop every cached copy in this process (tests start each case from the database)."""
    for cache in list(_ALL):
        cache.invalidate()


def rows_fingerprint(*models: type[Model]) -> tuple[Any, ...]:
    """How many rows each model has and when the latest changed (its `updated_at`): a change, an addition or
    a deletion of a row moves it. One aggregate query per model."""
    parts: list[Any] = []
    for model in models:
        agg = model._default_manager.aggregate(n=Count("pk"), updated=Max("updated_at"))
        parts += [agg["n"], agg["updated"]]
    return tuple(parts)
