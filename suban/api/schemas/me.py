from __future__ import annotations

from ninja import Field, Schema

from suban.api.schemas.common import UnitRef


class ReachOut(Schema):
    unit: UnitRef | None = Field(description="the subtree whose cases you see; null for citizens")
    own_cases_only: bool = Field(description="a citizen sees only their own requests")


class MeOut(Schema):
    username: str
    name: str
    kind: str
    roles: list[str]
    admin_role: str
    unit: UnitRef | None
    phone: str = Field(description="masked")
    reach: ReachOut


class InboxCounts(Schema):
    scope: str = Field(description='"unit": cases your unit leads; "reach": every case in your reach')
    unit: UnitRef | None
    new: int
    to_dispatch: int
    to_claim: int
    in_progress: int
    on_hold: int
    returned: int
    reviewing: int
    visiting: int
    unsatisfied: int
    yellow: int
    red: int
    extension_asked: int | None = Field(
        description="cases whose lead unit asks for more working days, waiting for your decision; null when you "
        "do not decide extensions (dispatchers and supervisors do)"
    )
