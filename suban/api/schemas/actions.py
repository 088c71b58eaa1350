"""The body of each case action. `version` is the case's version as the client last saw it: when given and the
case has changed since, the action is refused with 409."""

from __future__ import annotations

from decimal import Decimal

from ninja import Field

from suban.api.schemas.common import Input
from suban.cases.models import Satisfaction
from suban.cases.services import DeclineReason

NOTE = 5000


class ActionIn(Input):
    version: int | None = Field(None, ge=0, description="the case's version as last seen; 409 when it has changed")


class NoteOptionalIn(ActionIn):
    note: str = Field("", max_length=NOTE)


class NoteRequiredIn(ActionIn):
    note: str = Field(max_length=NOTE)


class ReasonIn(ActionIn):
    reason: str = Field(max_length=NOTE)


class DeclineIn(ActionIn):
    reason: DeclineReason
    note: str = Field("", max_length=NOTE)


class MergeIn(ActionIn):
    into: str = Field(max_length=20, description="the number of the case this one duplicates")
    note: str = Field("", max_length=NOTE)


class DispatchIn(ActionIn):
    unit: str | None = Field(None, description="the lead unit's code; null: by the responsibility list")
    co_units: list[str] = Field(default_factory=list, max_length=20, description="co-handling units' codes")
    note: str = Field("", max_length=NOTE)
    complained_unit: str | None = Field(
        None, description="a complaint about the staff of a unit: its code (neither lead nor co-handler may be in it)"
    )


class EscalateIn(ActionIn):
    to_unit: str | None = Field(None, description="a unit above, or a department; null: one rung up")
    note: str = Field(max_length=NOTE)


class WhistleIn(ActionIn):
    unit: str = Field(description="the code of the unit whistled in")
    person: str | None = Field(None, description="the user name of a specialist in that unit")
    note: str = Field("", max_length=NOTE)


class NoteIn(ActionIn):
    note: str = Field(max_length=NOTE)
    public: bool = Field(False, description="shown to the citizen")


class ExtensionIn(ActionIn):
    # In halves, as the service requires; said here too so that the schema documents it.
    days: Decimal = Field(gt=0, le=10, multiple_of=0.5, description="working days, in halves")
    reason: str = Field(max_length=NOTE)


class DecisionIn(ActionIn):
    approve: bool
    note: str = Field("", max_length=NOTE)


class ReplyIn(ActionIn):
    reply: str = Field(max_length=NOTE)


class RateIn(ActionIn):
    satisfaction: Satisfaction
    resolved: bool
    comment: str = Field("", max_length=500)


class SuperviseIn(ActionIn):
    note: str = Field(max_length=NOTE)
    days: Decimal = Field(Decimal(1), gt=0, le=30, multiple_of=0.5, description="working days to act")


class SupervisionFeedbackIn(ActionIn):
    order: int = Field(description="the supervision order's id (in the case's timeline: the supervise step)")
    feedback: str = Field(max_length=NOTE, description="what the unit has done")


class SupervisionDoneIn(ActionIn):
    order: int = Field(description="the supervision order's id")
    note: str = Field("", max_length=NOTE)


class RaiseLevelIn(ActionIn):
    unit: str = Field(description="the code of the higher unit or department")
    note: str = Field(max_length=NOTE)


class AddInfoIn(ActionIn):
    text: str = Field(max_length=NOTE)
