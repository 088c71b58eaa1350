"""seed_demo in the tests loads the district without training the routing model (tests/demo/test_demo_model.py
trains a small one on its own): a model costs seconds, and the tests load the district many times."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture(autouse=True)
def no_demo_model(settings: Any) -> None:
    settings.DEMO_MODEL = False
