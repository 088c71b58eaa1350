"""The mediation centre's bodies and answers (suban.api.routers.mediation).

Records are named by what their owners know them by: a dispute by its number, a unit by its code, rooms,
mediators, desks and risk reports by their ids (GET /api/mediation/rooms lists the first three).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal, get_args

from django.utils.translation import gettext as _
from ninja import Field, Schema
from pydantic import AfterValidator

from suban.api.schemas.common import Input, UnitRef, UserRef
from suban.mediation.models import (
    TEXT_LENGTH,
    AgreementKind,
    Alert,
    Category,
    DisputeStatus,
    MediatorKind,
    PartyKind,
    Referral,
    Risk,
    RoomLevel,
    Side,
    Source,
)
from suban.mediation.selectors import QUEUES
from suban.mediation.services import MAX_AMOUNT, MAX_EXTENSION_DAYS, MAX_PARTIES, NOTE_LENGTH

# The largest id a table holds (a 64-bit key); a larger one cannot be looked up at all.
MAX_ID = 2**63 - 1
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
VERSION = "the dispute's version as last seen; 409 when it has changed since"
Queue = Literal["intake", "mine", "room", "visits", "ended", "all"]
assert set(get_args(Queue)) == set(QUEUES)  # the Literal above, kept in step with the selectors
# Every source but "case": a case goes to mediation through its own action (POST /api/cases/{number}/actions/...).
RegisterSource = Literal["walk_in", "call", "sweep", "hotline", "court", "h5"]
# A referral, or none: one Literal rather than a union, so that a wrong value is named by its field alone.
Channel = Literal["", "litigation", "arbitration", "administrative", "petition"]
assert set(get_args(Channel)) == {"", *Referral.values}


def _in_our_time(value: datetime) -> datetime:
    """A date and time a dispute can have: years far off are refused here, before any arithmetic overflows."""
    if not 2000 <= value.year <= 2100:
        raise ValueError(_("give a date between the years 2000 and 2100"))
    return value


def _a_day_of_ours(value: date) -> date:
    if not 2000 <= value.year <= 2100:
        raise ValueError(_("give a date between the years 2000 and 2100"))
    return value


When = Annotated[datetime, AfterValidator(_in_our_time)]
Day = Annotated[date, AfterValidator(_a_day_of_ours)]


# ----------------------------------------------------------------------------------------------- requests


class DisputeFilters(Schema):
    queue: Queue = Field(
        "all",
        description="intake: registered, to accept or decline; mine: open and assigned to you; room: your room's "
        "open ones; visits: agreements whose fulfilment visit is due within a week; ended; all you may read",
    )
    status: list[DisputeStatus] | None = Field(None, description="one or more statuses")


class DisputePartyIn(Input):
    side: Side
    kind: PartyKind = PartyKind.PERSON
    name: str = Field(max_length=100)
    phone: str = Field("", max_length=30, description="a mobile or fixed-line number; stored encrypted")
    id_number: str = Field(
        "", max_length=30, description="a person's identity number, an organisation's credit code; stored encrypted"
    )
    address: str = Field("", max_length=200)


class DisputePartyAddIn(DisputePartyIn):
    expected_version: int | None = Field(None, ge=0, description=VERSION)


class DisputeCreateIn(Input):
    category: Category
    summary: str = Field(max_length=200)
    facts: str = Field("", max_length=TEXT_LENGTH, description="what happened, what is in dispute")
    amount: Decimal | None = Field(
        None, ge=0, lt=MAX_AMOUNT, decimal_places=2, description="the amount at stake, in yuan (two decimals at most)"
    )
    risk: Risk = Risk.GENERAL
    escalating: bool = Field(False, description="may escalate (可能激化): the street's staff are told at once")
    source: RegisterSource = Field(description='citizens apply with "h5", and only they do')
    unit: str = Field(max_length=50, description="the place: the code of a street or community (a grid: its community)")
    room: Id | None = Field(
        None, description="the room it was brought to (the centre's choice; a room's mediator: always their own)"
    )
    parties: list[DisputePartyIn] = Field(
        min_length=1, max_length=MAX_PARTIES, description="at least one applicant and one respondent"
    )
    risk_report: Id | None = Field(None, description="the risk report of a sweep it comes from (one dispute each)")


class _StepIn(Input):
    expected_version: int | None = Field(None, ge=0, description=VERSION)


class DisputeNoteIn(_StepIn):
    note: str = Field("", max_length=NOTE_LENGTH)


class DisputeAcceptIn(DisputeNoteIn):
    pass


class DisputeConfirmIn(DisputeNoteIn):
    pass


class DisputeCloseIn(DisputeNoteIn):
    note: str = Field("", max_length=NOTE_LENGTH, description="required when the agreement was not kept")


class DisputeDeclineIn(_StepIn):
    reason: str = Field(max_length=500)
    channel: Channel = Field("", description="where the dispute belongs instead; empty: not said")


class DisputeAssignIn(_StepIn):
    room: Id = Field(description="the room's id")
    lead: Id = Field(description="the lead mediator's id")
    joint: list[Id] = Field(default_factory=list, max_length=10, description="joint mediators' ids (联合调解)")
    note: str = Field("", max_length=NOTE_LENGTH)


class DisputeSessionIn(_StepIn):
    held_at: When = Field(description="when it was (or will be: the parties are told) held, ISO 8601")
    place: str = Field(max_length=200)
    attended: str = Field(max_length=2000)
    said: str = Field(max_length=TEXT_LENGTH, description="what was said")
    next_step: str = Field("", max_length=2000)
    desks: list[Id] = Field(default_factory=list, max_length=30, description="the ids of the centre's desks present")


class DisputeExtendIn(_StepIn):
    days: int = Field(ge=1, le=MAX_EXTENSION_DAYS)
    note: str = Field(max_length=NOTE_LENGTH, description="the parties' agreement to the extension")


class DisputeAgreeIn(_StepIn):
    kind: AgreementKind
    terms: str = Field(max_length=TEXT_LENGTH)
    signed_on: Day | None = Field(None, description="required for a written agreement; an oral one: today")


class DisputeFailIn(_StepIn):
    referral: Referral = Field(description="the channel the parties are guided to")
    reason: str = Field(max_length=NOTE_LENGTH)


class DisputeVisitIn(_StepIn):
    fulfilled: bool
    note: str = Field(max_length=NOTE_LENGTH, description="what the visit found")


class MediationFiguresFilters(Schema):
    start: Day | None = Field(None, description="the first day of disputes registered; default: 29 days before end")
    end: Day | None = Field(None, description="the last day; default: today")


class MediationRiskFilters(Schema):
    level: Risk | None = None
    became_dispute: bool | None = Field(None, description="true: those that became disputes; false: the others")


class MediationRiskIn(Input):
    grid: str = Field(max_length=50, description="the code of the grid where it was found")
    category: Category
    level: Risk
    parties: str = Field(max_length=300, description="who is involved")
    place: str = Field(max_length=200)
    what: str = Field(max_length=5000, description="what was found")


class MediationRoomFilters(Schema):
    dispute: str | None = Field(
        None, max_length=20, description="a dispute's number: the rooms you may assign it to, and their mediators"
    )


# ------------------------------------------------------------------------------------------------ answers


class MediationRoomRef(Schema):
    id: int
    name: str
    level: RoomLevel


class DisputeRow(Schema):
    number: str
    category: Category
    category_label: str
    summary: str
    status: DisputeStatus
    status_label: str
    risk: Risk | None = Field(description="the centre's assessment (staff only: null for a party)")
    escalating: bool | None = Field(description="may escalate (staff only: null for a party)")
    source: Source
    unit: UnitRef
    room: MediationRoomRef | None
    alert: Alert = Field(description='"yellow": due soon; "red": overdue')
    due_at: datetime | None
    registered_at: datetime
    version: int

    @staticmethod
    def resolve_category_label(obj: Any) -> str:
        return str(obj.get_category_display())

    @staticmethod
    def resolve_status_label(obj: Any) -> str:
        return str(obj.get_status_display())

    @staticmethod
    def resolve_risk(obj: Any, context: dict[str, Any]) -> str | None:
        return None if context["request"].auth.is_citizen else obj.risk

    @staticmethod
    def resolve_escalating(obj: Any, context: dict[str, Any]) -> bool | None:
        return None if context["request"].auth.is_citizen else obj.escalating


class DisputePartyOut(Schema):
    side: Side
    side_label: str
    kind: PartyKind
    kind_label: str
    name: str
    phone: str = Field(description="masked, except for the dispute's mediators and its room's head")
    id_number: str = Field(description="always masked")
    address: str = Field(description="the dispute's mediators and its room's head only")


class MediationMediatorRef(Schema):
    id: int
    username: str
    name: str
    room: str
    desk: str | None


class DisputeAssignmentOut(Schema):
    mediator: MediationMediatorRef
    lead: bool
    added_at: datetime


class MediationDeskRef(Schema):
    id: int
    name: str


class DisputeSessionOut(Schema):
    held_at: datetime
    place: str
    attended: str = Field(description="staff only (empty for a party)")
    said: str = Field(description="staff only (empty for a party)")
    next_step: str = Field(description="staff only (empty for a party)")
    desks: list[MediationDeskRef]
    recorded_by: UserRef | None = Field(description="staff only")


class DisputeEventOut(Schema):
    seq: int
    action: str
    label: str
    at: datetime
    from_status: DisputeStatus | Literal[""]
    to_status: DisputeStatus
    actor: UserRef | None = Field(description="who acted (staff only)")
    note: str = Field(description="staff only (empty for a party)")
    data: dict[str, Any] = Field(description="the step's details (staff only)")


class DisputeOut(Schema):
    view: Literal["staff", "party"] = Field(
        description='"staff": the full view; "party": what a party reads (no staff, no notes, sessions\' dates and '
        "places)"
    )
    number: str
    category: Category
    category_label: str
    summary: str
    facts: str
    amount: str | None = Field(description="yuan, two decimals")
    risk: Risk | None = Field(description="the centre's assessment (staff only: null for a party)")
    escalating: bool | None = Field(description="may escalate (staff only: null for a party)")
    source: Source
    case: str | None = Field(description="the number of the case it came from (staff only)")
    unit: UnitRef
    room: MediationRoomRef | None
    status: DisputeStatus
    status_label: str
    version: int
    registered_at: datetime
    accepted_at: datetime | None
    due_at: datetime | None
    extended_days: int
    alert: Alert
    decline_reason: str
    agreement: AgreementKind | Literal[""]
    terms: str
    signed_on: date | None
    judicial_confirmation_on: date | None
    referral: Referral | Literal[""]
    failure_reason: str
    ended_at: datetime | None
    ended_as: DisputeStatus | Literal[""]
    visit_on: date | None
    visit_note: str = Field(description="staff only")
    closed_at: datetime | None
    agreement_pdf: str | None = Field(description="where to download the agreement, once there is one")
    parties: list[DisputePartyOut]
    assignments: list[DisputeAssignmentOut] = Field(description="staff only")
    sessions: list[DisputeSessionOut]
    events: list[DisputeEventOut] = Field(description="a party sees the public steps only")
    allowed_steps: list[str] = Field(description="the steps you may take now: POST /api/mediation/disputes/{number}/…")


class MediationTallyOut(Schema):
    label: str
    taken_in: int
    mediated: int = Field(description="ended in an agreement or a failure")
    agreed: int
    success_rate: float | None = Field(description="agreed / mediated")
    visited: int
    fulfilled: int
    fulfilment_rate: float | None = Field(description="fulfilled / visited")
    declined: int
    open: int
    average_days: float | None = Field(description="from acceptance to the end")


class MediationFiguresOut(Schema):
    unit: UnitRef | None = Field(description="whose places are counted")
    start: date
    end: date
    total: MediationTallyOut
    by_level: list[MediationTallyOut]
    by_room: list[MediationTallyOut]
    by_category: list[MediationTallyOut]
    by_mediator: list[MediationTallyOut]
    escalating_open: int
    risks: int


class MediationRiskOut(Schema):
    id: int
    grid: UnitRef
    category: Category
    level: Risk
    parties: str
    place: str
    what: str
    reporter: UserRef
    reported_at: datetime
    dispute: str | None = Field(description="the number of the dispute it became")

    @staticmethod
    def resolve_dispute(obj: Any) -> str | None:
        return obj.dispute.number if obj.dispute is not None else None


class MediationRoomMediatorOut(Schema):
    id: int
    username: str
    name: str
    kind: MediatorKind
    desk: str | None
    head: bool
    specialities: list[str] = Field(description="category codes")
    load: int = Field(description="open disputes assigned")


class MediationRoomOut(Schema):
    id: int
    name: str
    level: RoomLevel
    unit: UnitRef
    address: str
    phone: str
    assignable: bool = Field(description="you may send a dispute (the one asked about) to this room")
    desks: list[MediationDeskRef]
    mediators: list[MediationRoomMediatorOut]
