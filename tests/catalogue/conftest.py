from __future__ import annotations

from typing import Any

import pytest

from suban.catalogue.models import Matter
from suban.catalogue.services import catalogue_load
from suban.catalogue.taxonomy import PACKAGED, Row, read_taxonomy


@pytest.fixture(autouse=True)
def _fresh_caches(fresh_caches: None) -> None:
    """Every test here starts with fresh master-data caches (tests/conftest.py)."""


@pytest.fixture(scope="session")
def rows() -> list[Row]:
    return read_taxonomy(PACKAGED)


@pytest.fixture
def catalogue(db: Any, rows: list[Row]) -> dict[str, Matter]:
    """The packaged taxonomy, loaded; matters by full name ("城乡建设 / 安全生产 / 事故处理")."""
    catalogue_load(by=None, rows=rows)
    return {m.full_name: m for m in Matter.objects.all()}
