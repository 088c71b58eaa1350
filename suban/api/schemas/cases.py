"""A case as the API shows it: a list row, the staff view, the citizen's public view, and its timeline.

Detail and event schemas are validated from a visibility.Seen (the object and who looks at it); their
resolvers ask suban.cases.visibility what that person may see.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from ninja import Field, Schema

from suban.api.schemas.common import Input, MatterRef, UnitRef, UserRef
from suban.cases import visibility
from suban.cases.models import Alert, Case, Channel, Nature, Satisfaction, Status, SupervisionOrder, Urgency
from suban.cases.visibility import Seen
from suban.catalogue.models import CaseType
from suban.org.coords import CoordinateSystem

Ordering = Literal["created_at", "-created_at", "due_at", "-due_at", "updated_at", "-updated_at"]


class CaseItem(Schema):
    number: str
    title: str
    status: Status
    status_label: str
    case_type: CaseType
    nature: Nature
    channel: Channel
    urgency: Urgency
    level: str
    unit: UnitRef | None
    matter: MatterRef | None
    address: str
    alert: Alert
    due_at: datetime | None
    created_at: datetime
    version: int

    @staticmethod
    def resolve_status_label(obj: Case) -> str:
        return str(obj.get_status_display())


class CaseFilters(Schema):
    status: list[Status] | None = Field(None, description="one or more statuses")
    unit: str | None = Field(None, description="the lead unit's code, exactly")
    under: str | None = Field(None, description="a unit's code: cases led by it or any unit below it")
    case_type: CaseType | None = None
    nature: Nature | None = None
    channel: Channel | None = None
    matter: str | None = Field(None, description="a matter's code: cases of it or of any matter below it")
    overdue: bool | None = Field(
        None,
        description="true: overdue now (a unit holds the case and its deadline has passed: the inbox's red pile); "
        "false: the others",
    )
    alert: Literal["yellow", "red"] | None = Field(
        None,
        description="yellow: due soon now; red: overdue now (the inbox's piles: cases a unit holds; a replied "
        "case keeps its `alert` field but is in neither)",
    )
    extension_asked: bool | None = Field(
        None, description="true: cases in progress whose extension request waits for a decision; false: the others"
    )
    created_after: date | None = Field(None, description="created on or after this day")
    created_before: date | None = Field(None, description="created on or before this day")
    text: str | None = Field(None, max_length=100, description="in the title, the text or the number")
    ordering: Ordering = "-created_at"


class Contact(Schema):
    name: str
    phone: str = Field(description="always masked, e.g. 138****5678")
    hidden: bool = Field(description="hidden because the case is anonymous or confidential")


class CoHandlerOut(Schema):
    unit: UnitRef
    person: UserRef | None
    added_at: datetime


class Deadlines(Schema):
    dispatched_at: datetime | None
    response_due_at: datetime | None
    claimed_at: datetime | None
    due_at: datetime | None
    warn_at: datetime | None
    held_at: datetime | None
    alert: Alert
    limit_days: float | None
    extension_days: float
    pending_extension_days: float | None


class _CaseBase(Schema):
    view: Literal["staff", "public"] = Field(description='"staff": the full view; "public": the citizen\'s own')
    number: str
    title: str
    text: str
    status: Status
    status_label: str
    case_type: CaseType
    nature: Nature
    channel: Channel
    address: str
    longitude: float | None = Field(description="WGS-84, whatever system it was submitted in")
    latitude: float | None = Field(description="WGS-84, whatever system it was submitted in")
    unit: UnitRef | None
    contact: Contact
    anonymous: bool
    closed_at: datetime | None
    satisfaction: Satisfaction | Literal[""]
    resolved: bool | None
    rating_comment: str
    decline_reason: str
    created_at: datetime
    updated_at: datetime
    version: int
    allowed_actions: list[str] = Field(description="the lifecycle actions you may take now")

    @staticmethod
    def resolve_status_label(obj: Case) -> str:
        return str(obj.get_status_display())

    @staticmethod
    def resolve_contact(obj: Seen) -> dict[str, Any]:
        return visibility.contact_for(obj.subject, obj.viewer)

    @staticmethod
    def resolve_allowed_actions(obj: Seen) -> list[str]:
        return visibility.actions_for(obj.subject, obj.viewer)


class ActorOut(Schema):
    kind: Literal["staff", "citizen", "system"]
    name: str
    username: str | None
    unit: UnitRef | None


class SupervisionOut(Schema):
    id: int = Field(description="the order's id, which its answer and its closing take")
    unit: UnitRef | None
    note: str
    automatic: bool = Field(description="opened by the deadline clock")
    due_at: datetime
    created_at: datetime
    state: SupervisionOrder.State
    outcome: SupervisionOrder.Outcome | Literal[""] = Field(
        description='how it ended: "done" (a supervisor closed it), "case_closed", "case_declined" or '
        '"case_merged" (it ended with the case); "" while open'
    )
    feedback: str = Field(description="the lead unit's latest answer")
    done_at: datetime | None
    done_by: ActorOut | None = Field(description="who ended it: the supervisor, or whoever ended the case")


class CaseDetail(_CaseBase):
    """What staff in reach see."""

    view: Literal["staff"] = "staff"
    urgency: Urgency
    level: str
    matter: MatterRef | None
    grid: UnitRef | None
    handler: UserRef | None
    co_handlers: list[CoHandlerOut]
    confidential: bool
    complained_unit: UnitRef | None = Field(description="the unit whose staff the complaint is about")
    source_ref: str
    deadlines: Deadlines
    reply: str
    replied_at: datetime | None
    merged_into: str | None = Field(description="the number of the case this one was merged into")
    return_final: bool
    support_count: int
    return_count: int
    escalation_count: int
    reopen_count: int
    supervision_count: int
    supervisions: list[SupervisionOut] = Field(description="the supervision orders, oldest first")

    @staticmethod
    def resolve_deadlines(obj: Seen) -> Case:
        return obj.subject

    @staticmethod
    def resolve_supervisions(obj: Seen) -> list[dict[str, Any]]:
        return visibility.orders_for(obj.subject, obj.viewer)

    @staticmethod
    def resolve_merged_into(obj: Case) -> str | None:
        return obj.merged_into.number if obj.merged_into is not None else None


class CasePublic(_CaseBase):
    """What the citizen who asked sees: no internal notes, no staff, the reply once it is released."""

    view: Literal["public"] = "public"
    reply: str
    replied_at: datetime | None

    @staticmethod
    def resolve_reply(obj: Case) -> str:
        return obj.reply if visibility.reply_released(obj) else ""

    @staticmethod
    def resolve_replied_at(obj: Case) -> datetime | None:
        return obj.replied_at if visibility.reply_released(obj) else None


CaseOut = Annotated[CaseDetail | CasePublic, Field(discriminator="view")]


class EventOut(Schema):
    seq: int
    action: str
    at: datetime
    from_status: str
    to_status: str
    note: str
    public: bool
    actor: ActorOut
    reply: str = Field(
        description="the reply's text on a reply step (staff only: the district may send it back) and on its "
        'release (approve_reply, also for the citizen); "" on other steps'
    )
    data: dict[str, Any] | None = Field(description="the step's particulars; staff only")

    @staticmethod
    def resolve_actor(obj: Seen) -> dict[str, Any]:
        return visibility.actor_for(obj.subject, obj.viewer)

    @staticmethod
    def resolve_data(obj: Seen) -> dict[str, Any] | None:
        return None if obj.viewer.is_citizen else obj.subject.data

    @staticmethod
    def resolve_note(obj: Seen) -> str:
        return visibility.note_for(obj.subject, obj.viewer)

    @staticmethod
    def resolve_reply(obj: Seen) -> str:
        return visibility.reply_for(obj.subject, obj.viewer)


class CaseSubmitIn(Input):
    title: str = Field(max_length=200)
    text: str = Field("", max_length=5000)
    case_type: CaseType = CaseType.LIVELIHOOD
    nature: Nature = Nature.HELP
    channel: Channel = Channel.H5
    urgency: Urgency = Urgency.NORMAL
    matter: str | None = Field(None, description="the matter's code in the catalogue")
    longitude: float | None = Field(None, ge=-180, le=180)
    latitude: float | None = Field(None, ge=-90, le=90)
    coordinate_system: CoordinateSystem = Field(
        CoordinateSystem.WGS84,
        description='the system of longitude and latitude: "wgs84" (GPS, the browser; the default), "gcj02" '
        '(WeChat wx.getLocation with type gcj02, Amap, Tencent maps) or "bd09" (Baidu maps). The case keeps '
        "and places the point in WGS-84.",
    )
    address: str = Field("", max_length=300)
    contact_name: str = Field("", max_length=60)
    contact_phone: str = Field("", max_length=20)
    anonymous: bool = False
    confidential: bool = False
    source_ref: str = Field("", max_length=64)
    complained_unit: str | None = Field(
        None,
        description="a complaint or report about the staff of a unit: that unit's code. Neither it nor a unit under "
        "it is ever sent or shown the case",
    )
    dispatch: bool = Field(
        False,
        description="dispatch centre only: accept and dispatch at once (a hotline call, a pushed work order)",
    )
    unit: str | None = Field(None, description="with dispatch: the lead unit's code; null: by the responsibility list")
    co_units: list[str] = Field(default_factory=list, max_length=20, description="with dispatch: co-handlers' codes")


class CaseBatchIn(Input):
    orders: list[CaseSubmitIn] = Field(
        min_length=1,
        max_length=500,
        description="the work orders, each as the body of POST /api/cases; taken in all together or not at all",
    )


class CaseBatchResult(Schema):
    index: int = Field(description="the order's position in the request, from 0")
    number: str
    status: Status
    unit: UnitRef | None = Field(description="the lead unit (the district's dispatch centre until dispatched)")
    due_at: datetime | None
    source_ref: str
    created: bool = Field(description="false: the order's source_ref was taken in before, this is that case")


class CaseBatchOut(Schema):
    created: int = Field(description="how many cases this request made")
    results: list[CaseBatchResult] = Field(description="one per order, in the orders' order")
