"""City platform sync: the transport is a fake that records what it was given and fails when told; time stands
still unless a test moves it. The case steps run inside the test's transaction, so the worker is called by
the test (or the on-commit callbacks are run by hand)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pytest

from suban.accounts.roles import Role
from suban.accounts.services import staff_create
from suban.cases.models import Case
from suban.cases.services import case_submit
from suban.citysync import sending
from suban.citysync.models import Webhook
from suban.citysync.sending import TransportError
from tests.conftest import PASSWORD, Cast
from tests.notify.conftest import _fresh_caches, huey_immediate

# The same fresh caches and immediate worker as the notification tests.
__all__ = ["_fresh_caches", "huey_immediate"]

SECRET = "city-shared-secret-0123456789"


@dataclass
class Call:
    url: str
    raw: bytes
    headers: dict[str, str]
    timeout: float

    @property
    def body(self) -> dict[str, Any]:
        data: dict[str, Any] = json.loads(self.raw)
        return data

    @property
    def step(self) -> tuple[str, int]:
        return (self.body["case"]["number"], self.body["event"]["seq"])


class Transport(list[Call]):
    """What was POSTed, in order. `down` fails every call; `fail_next` fails that many calls, then recovers."""

    def __init__(self) -> None:
        super().__init__()
        self.down = False
        self.fail_next = 0
        self.error = "answered 503 Service Unavailable"

    def __call__(self, url: str, body: bytes, headers: dict[str, str], timeout: float) -> None:
        self.append(Call(url, body, headers, timeout))
        if self.down or self.fail_next > 0:
            self.fail_next = max(self.fail_next - 1, 0)
            raise TransportError(self.error)

    def steps(self) -> list[tuple[str, int]]:
        return [call.step for call in self]


@pytest.fixture
def transport(monkeypatch: pytest.MonkeyPatch) -> Transport:
    fake = Transport()
    monkeypatch.setattr(sending, "post", fake)
    return fake


def make_webhook(code: str = "city", **kw: Any) -> Webhook:
    webhook = Webhook(code=code, name=kw.pop("name", f"{code} platform"), url=f"https://{code}.example/hook", **kw)
    webhook.set_secret(kw.pop("secret", SECRET))
    webhook.save()
    return webhook


@pytest.fixture
def city_account(cast: Cast, org: dict[str, Any]) -> Any:
    """The city platform's own account: a supervisor bound to the district."""
    return staff_create(
        by=None, username="cityplat", name="市平台", unit=org["D"], roles=[Role.SUPERVISOR], password=PASSWORD
    )


@pytest.fixture
def city(db: Any, city_account: Any) -> Webhook:
    """The city's webhook: every step of every case, and its updates act as the city's account."""
    return make_webhook("city", account=city_account)


def submit_in_s2(cast: Cast) -> Case:
    """Chen reports from 西一社区第一网格 (S2C1G1), the other street."""
    return case_submit(by=cast.chen, title="井盖松动", text="西一社区井盖松动", longitude=119.985, latitude=36.005)
