"""Open311 through HTTP. A small catalogue (城乡建设 / 市政设施 / 路灯, and 环境保护), a key for the cast's
city app, and `o311`, a client that keeps every body it receives: none may hold a full phone number or the
reporter's name or email."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any
from xml.etree import ElementTree as ET

import pytest
from django.conf import settings
from django.test import Client
from PIL import Image

from suban.catalogue.models import Matter
from suban.open311.keys import key_create
from tests.conftest import watch_for_leaks

PHONE = "13912345678"
SECRETS = (PHONE.encode(), b"13800000001", "王小明".encode(), b"wang@example.com")
IN_S1C1G1 = {"lat": "36.005", "long": "120.005"}


def xml(response: Any) -> ET.Element:
    """The body of one of our own responses (trusted: no entity tricks to fear)."""
    return ET.fromstring(response.content)  # noqa: S314


class O311:
    """Reads in English (the language cookie), so that the tests can name the messages they expect."""

    def __init__(self, seen: list[bytes]) -> None:
        self.client, self.seen = Client(), seen
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    def _keep(self, response: Any) -> Any:
        if not getattr(response, "streaming", False):
            self.seen.append(response.content)
        return response

    def get(self, path: str, params: dict[str, Any] | None = None) -> Any:
        return self._keep(self.client.get(f"/open311/v2/{path}", params or {}))

    def post(self, path: str, data: dict[str, Any], **kw: Any) -> Any:
        return self._keep(self.client.post(f"/open311/v2/{path}", data, **kw))

    def post_form(self, path: str, body: str) -> Any:
        return self._keep(
            self.client.post(
                f"/open311/v2/{path}", body, content_type="application/x-www-form-urlencoded; charset=utf-8"
            )
        )


@pytest.fixture(autouse=True)
def _fresh_caches(fresh_caches: None) -> None:
    """Every test here starts with fresh master-data caches (tests/conftest.py)."""


@pytest.fixture
def seen() -> Iterator[list[bytes]]:
    yield from watch_for_leaks(SECRETS, "personal data left through Open311")


@pytest.fixture
def o311(seen: list[bytes]) -> O311:
    return O311(seen)


@pytest.fixture
def matters(db: Any) -> dict[str, Matter]:
    m: dict[str, Matter] = {}

    def add(code: str, name: str, parent: str | None, **kw: Any) -> None:
        above = m[parent] if parent else None
        full = f"{above.full_name} / {name}" if above else name
        m[code] = Matter.objects.create(
            code=code, name=name, parent=above, level=(above.level + 1 if above else 1), full_name=full, **kw
        )

    add("01", "城乡建设", None)
    add("0101", "市政设施", "01")
    add("010101", "路灯", "0101", keywords="路灯，照明")
    add("02", "环境保护", None)
    add("0201", "噪音", "02")
    add("0299", "已停用", "02", is_active=False)
    return m


@pytest.fixture
def app_key(db: Any) -> str:
    _row, key = key_create(by=None, name="city app")
    return key


def jpeg_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 6), (30, 120, 200)).save(out, "JPEG")
    return out.getvalue()


def form(key: str, **overrides: Any) -> dict[str, Any]:
    """A complete, valid POST Service Request."""
    data: dict[str, Any] = {
        "api_key": key,
        "service_code": "010101",
        **IN_S1C1G1,
        "description": "东一社区东门口的路灯坏了三天\n晚上很黑",
        "first_name": "小明",
        "last_name": "王",
        "phone": PHONE,
        "email": "wang@example.com",
        "attribute[nature]": "help",
        "attribute[urgency]": "urgent",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}
