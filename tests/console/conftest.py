"""The console through HTTP, with the named cast (tests/conftest.py) and frozen time.

`report(title, where=..., dispatch=False, **fields)` makes a case through the services; `page(user)` a test
client logged in as that person. Every response a test reads is checked never to hold a full phone number.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client

from suban.cases.models import Case
from suban.cases.services import case_accept, case_dispatch, case_submit
from tests.conftest import Cast, watch_for_leaks
from tests.timing import FrozenTime

PHONES = ("13800000001", "13800000002", "13912345678")

# A point inside each basic grid of the cast's district.
IN_S1C1G1 = {"longitude": 120.005, "latitude": 36.005}
IN_S1C2G1 = {"longitude": 120.025, "latitude": 36.005}
IN_S2C1G1 = {"longitude": 119.985, "latitude": 36.005}


@pytest.fixture(autouse=True)
def _fresh_caches(fresh_caches: None) -> None:
    """Every test here starts with fresh master-data caches (tests/conftest.py)."""


@pytest.fixture
def seen() -> Iterator[list[bytes]]:
    yield from watch_for_leaks([p.encode() for p in PHONES], "a full phone number left the console")


class Page:
    """Django's test client for one person; keeps every body it gets (checked for phone numbers)."""

    def __init__(self, user: Any, seen: list[bytes]) -> None:
        self.client = Client()
        self.client.force_login(user, backend="suban.accounts.backends.RoleBackend")
        self.seen = seen

    def _keep(self, response: Any) -> Any:
        if not getattr(response, "streaming", False):
            self.seen.append(response.content)
        return response

    def get(self, path: str, data: dict[str, Any] | None = None, **kw: Any) -> Any:
        return self._keep(self.client.get(path, data or {}, **kw))

    def post(self, path: str, data: dict[str, Any] | None = None, htmx: bool = False, **kw: Any) -> Any:
        headers = {"HX-Request": "true"} if htmx else {}
        return self._keep(self.client.post(path, data or {}, headers=headers, **kw))

    def act(self, case: Case, action: str, data: dict[str, Any] | None = None, **kw: Any) -> Any:
        body = {"version": case.version, **(data or {})}
        return self.post(f"/console/cases/{case.number}/act/{action}/", body, **kw)


@pytest.fixture
def page(cast: Cast, seen: list[bytes]) -> Any:
    def _as(user: Any) -> Page:
        return Page(user, seen)

    return _as


@pytest.fixture
def report(cast: Cast, frozen: FrozenTime) -> Any:
    def _report(
        title: str, where: dict[str, float] | None = None, by: Any = None, dispatch: bool = False, **kw: Any
    ) -> Case:
        case = case_submit(by=by or cast.cindy, title=title, **(IN_S1C1G1 if where is None else where), **kw)
        if dispatch:
            case_accept(case=case, by=cast.dora)
            case_dispatch(case=case, by=cast.dora)
        return case

    return _report


def fresh(case: Case) -> Case:
    return Case.objects.get(pk=case.pk)
