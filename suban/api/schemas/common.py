from __future__ import annotations

from typing import Any

from ninja import Schema
from pydantic import ConfigDict


class Input(Schema):
    """Request bodies refuse unknown fields, so that a misspelt field is an error and not silently ignored."""

    model_config = ConfigDict(extra="forbid")


class ErrorDetail(Schema):
    code: str
    message: str
    field: str | None = None
    details: Any = None


class ErrorOut(Schema):
    error: ErrorDetail


class UnitRef(Schema):
    code: str
    name: str
    kind: str


class MatterRef(Schema):
    code: str
    name: str
    full_name: str


class UserRef(Schema):
    username: str
    name: str


def errors(*statuses: int) -> dict[int, type[ErrorOut]]:
    """Error responses for the OpenAPI document; every one has the same shape."""
    return dict.fromkeys((400, 401, 429, *statuses), ErrorOut)
