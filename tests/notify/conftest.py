"""Notifications: the worker runs in huey's immediate mode (a task runs when it is enqueued), so a message
queued in a transaction is sent when the test runs the transaction's on-commit callbacks. Time stands still
unless a test moves it. No test may leave an error logged by suban.notify (a receiver swallows errors so
that a message never undoes a case's step; here they must show)."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest
from huey.contrib.djhuey import HUEY

from suban.cases.models import Case
from suban.cases.services import case_accept, case_dispatch, case_submit
from tests.conftest import Cast
from tests.timing import FrozenTime


@pytest.fixture(autouse=True)
def _fresh_caches(fresh_caches: None) -> None:
    """Every test here starts with fresh master-data caches (tests/conftest.py)."""


@pytest.fixture(autouse=True)
def huey_immediate() -> Iterator[None]:
    before = HUEY.immediate
    HUEY.immediate = True
    yield
    HUEY.immediate = before


@pytest.fixture(autouse=True)
def no_notify_errors(caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    caplog.set_level(logging.INFO, logger="suban.notify")
    yield
    errors = [r for r in caplog.records if r.name.startswith("suban.notify") and r.levelno >= logging.ERROR]
    assert not errors, f"suban.notify logged an error: {errors[0].getMessage()}"


@pytest.fixture
def submitted(cast: Cast, frozen: FrozenTime) -> Case:
    """Cindy reports a broken street light inside 东一社区第一网格 (S1C1G1)."""
    return case_submit(
        by=cast.cindy, title="路灯不亮", text="东一社区门口路灯坏了三天", longitude=120.008, latitude=36.008
    )


@pytest.fixture
def dispatched(cast: Cast, submitted: Case) -> Case:
    """Accepted, and dispatched by the list to the community 东一社区 (S1C1): carol handles it there."""
    case_accept(case=submitted, by=cast.dora)
    return case_dispatch(case=submitted, by=cast.dora)
