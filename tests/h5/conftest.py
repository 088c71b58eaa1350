"""The citizen H5 through HTTP: `as_citizen(user)` gives a client with that citizen's SMS-login session,
real tiny photos made with Pillow, and a request taken through its life by the cast's staff."""

from __future__ import annotations

import io
import uuid
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
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

CITIZEN_BACKEND = "suban.accounts.backends.CitizenSmsBackend"
INSIDE_S1C1G1 = {"longitude": "120.008", "latitude": "36.008"}


@pytest.fixture(autouse=True)
def fresh(fresh_caches: None, settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def as_citizen(db: Any) -> Any:
    """as_citizen(user) -> a fresh client logged in as that citizen (several may take turns)."""

    def _as(user: Any) -> Client:
        client = Client()
        client.force_login(user, backend=CITIZEN_BACKEND)
        return client

    return _as


def image_bytes(fmt: str = "JPEG", size: tuple[int, int] = (8, 6), exif: bytes | None = None) -> bytes:
    out = io.BytesIO()
    options: dict[str, Any] = {"exif": exif} if exif else {}
    Image.new("RGB", size, (200, 30, 30)).save(out, fmt, **options)
    return out.getvalue()


def jpeg(name: str = "photo.jpg", **kw: Any) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, image_bytes("JPEG", **kw), content_type="image/jpeg")


def png(name: str = "photo.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, image_bytes("PNG"), content_type="image/png")


def form_data(**overrides: Any) -> dict[str, Any]:
    """A complete, valid request form; a fresh key unless one is given."""
    data: dict[str, Any] = {
        "key": str(uuid.uuid4()),
        "case_type": "livelihood",
        "nature": "help",
        "title": "路灯不亮",
        "text": "东一社区东门口的路灯坏了三天，晚上很黑。",
        "address": "",
        "contact_name": "王女士",
        **INSIDE_S1C1G1,
    }
    data.update(overrides)
    return data


@pytest.fixture
def submitted(cast: Cast, frozen: FrozenTime) -> Case:
    """Cindy reports a broken street light inside 东一社区第一网格 (S1C1G1)."""
    return case_submit(by=cast.cindy, title="路灯不亮", text="东门口路灯坏了", longitude=120.008, latitude=36.008)


@pytest.fixture
def dispatched(cast: Cast, submitted: Case) -> Case:
    """... accepted and sent to 东一社区 (S1C1), carol's community."""
    case_accept(case=submitted, by=cast.dora)
    return case_dispatch(case=submitted, by=cast.dora)


@pytest.fixture
def visiting(cast: Cast, dispatched: Case) -> Case:
    """... claimed and answered by carol, the reply released by dora: it waits for cindy's rating."""
    case = dispatched
    case_claim(case=case, by=cast.carol)
    case_reply(case=case, by=cast.carol, reply="已更换灯泡，路灯恢复照明。")
    case_review_reply(case=case, by=cast.dora, approve=True)
    return case
