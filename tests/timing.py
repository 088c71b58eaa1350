"""Frozen time for the case tests: Beijing-time instants and a `now` the tests move by hand."""

from __future__ import annotations

import zoneinfo
from datetime import UTC, datetime, timedelta

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


def at(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    """A Beijing-time instant."""
    return datetime(year, month, day, hour, minute, tzinfo=SHANGHAI)


class FrozenTime:
    """The `now` every module of the project sees (django.utils.timezone.now is patched to call this)."""

    def __init__(self, start: datetime) -> None:
        self.moment = start

    def __call__(self) -> datetime:
        return self.moment.astimezone(UTC)

    def set(self, moment: datetime) -> None:
        self.moment = moment

    def advance(self, **delta: float) -> datetime:
        self.moment += timedelta(**delta)
        return self.moment
