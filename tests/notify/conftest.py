"""Notifications: the worker runs in huey's immediate mode (a task runs when it is enqueued), so a message
queued in a transaction is sent when the test runs the transaction's on-commit callbacks. Time stands still
unless a test moves it. No test may leave an error logged by suban.notify (a receiver swallows errors so
that a message never undoes a case's step; here they must show)."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest
from huey.contrib.djhuey import HUEY


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
