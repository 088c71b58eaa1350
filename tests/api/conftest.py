"""The API through HTTP: `api(user)` gives a client logged in as that person (session), `bearer(key)` one
that sends a token. Every response any test sees is checked never to hold a full phone number, and to match
the schema the OpenAPI document publishes for it."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client

from suban.api.services import token_create
from suban.cases.models import Case
from suban.cases.services import case_accept, case_dispatch, case_submit
from tests.api.contract import conforms
from tests.conftest import Cast, watch_for_leaks

# Every full phone number the cast and the tests use. None may appear in any API response.
PHONES = ("13800000001", "13800000002", "13912345678")


class Api:
    """A thin JSON client over django's test client; keeps every body it receives."""

    def __init__(self, client: Client, seen: list[bytes], headers: dict[str, str] | None = None) -> None:
        self.client, self.seen, self.headers = client, seen, headers or {}

    def _keep(self, method: str, path: str, response: Any) -> Any:
        self.seen.append(response.content)
        conforms(method, f"/api{path}", response)
        return response

    def get(self, path: str, params: dict[str, Any] | None = None) -> Any:
        return self._keep("GET", path, self.client.get(f"/api{path}", params or {}, headers=self.headers))

    def post(self, path: str, body: dict[str, Any] | None = None) -> Any:
        data = json.dumps(body or {})
        response = self.client.post(f"/api{path}", data, content_type="application/json", headers=self.headers)
        return self._keep("POST", path, response)

    def act(self, number: str, action: str, body: dict[str, Any] | None = None) -> Any:
        return self.post(f"/cases/{number}/actions/{action}", body)


@pytest.fixture(autouse=True)
def _fresh_caches(fresh_caches: None) -> None:
    """Every test here starts with fresh master-data caches (tests/conftest.py)."""


@pytest.fixture
def seen() -> Iterator[list[bytes]]:
    yield from watch_for_leaks([p.encode() for p in PHONES], "a full phone number left the API")


@pytest.fixture
def api(seen: list[bytes]) -> Any:
    """api(user): a client acting as that person: staff by session, citizens by token. Each call gives a
    client of its own, so that several people can take turns on one case."""

    def _as(user: Any) -> Api:
        if user.is_citizen:
            # Citizens have no password, and the only login backend refuses such accounts a session;
            # their app holds an API token.
            _token, key = token_create(by=None, user=user, name="citizen app")
            return Api(Client(), seen, headers={"Authorization": f"Bearer {key}"})
        client = Client()
        client.force_login(user, backend="suban.accounts.backends.RoleBackend")
        return Api(client, seen)

    return _as


@pytest.fixture
def bearer(seen: list[bytes]) -> Any:
    def _with(key: str) -> Api:
        return Api(Client(), seen, headers={"Authorization": f"Bearer {key}"})

    return _with


@pytest.fixture
def submitted(cast: Cast) -> Case:
    """Cindy reports a broken street light inside 东一社区第一网格 (S1C1G1)."""
    return case_submit(
        by=cast.cindy, title="路灯不亮", text="东一社区门口路灯坏了三天", longitude=120.008, latitude=36.008
    )


@pytest.fixture
def dispatched(cast: Cast, submitted: Case) -> Case:
    """Accepted and dispatched by the responsibility list: to the community 东一社区 (S1C1)."""
    case_accept(case=submitted, by=cast.dora)
    return case_dispatch(case=submitted, by=cast.dora)


# A point inside each basic grid of the cast's district.
IN_S1C1G1 = {"longitude": 120.005, "latitude": 36.005}
IN_S1C2G1 = {"longitude": 120.025, "latitude": 36.005}
IN_S2C1G1 = {"longitude": 119.985, "latitude": 36.005}


@pytest.fixture
def report(cast: Cast) -> Any:
    """report(title, where=IN_S1C1G1, by=cindy, dispatch=False, **fields) -> a case, through the services."""

    def _report(title: str, where: dict[str, float] = IN_S1C1G1, by: Any = None, dispatch: bool = False, **kw: Any):
        case = case_submit(by=by or cast.cindy, title=title, **where, **kw)
        if dispatch:
            case_accept(case=case, by=cast.dora)
            case_dispatch(case=case, by=cast.dora)
        return case

    return _report
