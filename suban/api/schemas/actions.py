"""What every case action's body holds. The rest of each body is made from the action registry's inputs
(suban.actions, suban.api.routers.actions)."""

from __future__ import annotations

from ninja import Field

from suban.api.schemas.common import Input


class ActionIn(Input):
    version: int | None = Field(None, ge=0, description="the case's version as last seen; 409 when it has changed")
