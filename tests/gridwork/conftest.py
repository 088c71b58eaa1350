"""Grid work through HTTP. Time stands still on Monday 9 February 2026, 09:00 Beijing time; photos are tiny
JPEGs made with Pillow; stored files go to a temporary folder."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from suban.cases.models import Case
from suban.cases.services import (
    case_accept,
    case_claim,
    case_dispatch,
    case_reply,
    case_review_reply,
    case_submit,
)
from tests.conftest import Cast
from tests.timing import FrozenTime

INSIDE_G1 = (120.006, 36.007)  # in 东一社区第一网格 (S1C1G1), outside the school's special grid
INSIDE_S2 = (119.985, 36.005)  # in 西一社区第一网格 (S2C1G1)


@pytest.fixture(autouse=True)
def _grid_env(fresh_caches: None, settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def jpeg(name: str = "photo.jpg", colour: str = "red") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), colour).save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


@pytest.fixture
def cindy_case(cast: Cast, frozen: FrozenTime) -> Case:
    """Cindy reports a broken street light inside gary's grid."""
    lon, lat = INSIDE_G1
    return case_submit(by=cast.cindy, title="路灯不亮", text="东一社区门口路灯坏了三天", longitude=lon, latitude=lat)


@pytest.fixture
def at_grid(cast: Cast, org: dict[str, Any], cindy_case: Case) -> Case:
    """The case dispatched by hand to gary's grid, waiting for the claim."""
    case_accept(case=cindy_case, by=cast.dora)
    return case_dispatch(case=cindy_case, by=cast.dora, unit=org["S1C1G1"])


@pytest.fixture
def visiting(cast: Cast, at_grid: Case) -> Case:
    """The case answered by gary and released by the dispatch centre: waiting for the return visit."""
    case_claim(case=at_grid, by=cast.gary)
    case_reply(case=at_grid, by=cast.gary, reply="已更换灯泡，路灯恢复照明。")
    return case_review_reply(case=at_grid, by=cast.dora, approve=True)


def refresh(case: Case) -> Case:
    return Case.objects.get(pk=case.pk)
