from __future__ import annotations

from typing import Any

from ninja import Field, Schema


class StatusOut(Schema):
    value: str
    label: str


class TransitionOut(Schema):
    action: str
    sources: list[str]
    targets: list[str] = Field(description='"same" when the status stays as it is')
    actors: list[str]
    endpoint: str | None = Field(description="the API endpoint that performs it; null: internal or the clock")


class LifecycleOut(Schema):
    statuses: list[StatusOut]
    actors: list[str]
    transitions: list[TransitionOut]
    endpoints: dict[str, Any] = Field(description="endpoint → the table actions it performs")
