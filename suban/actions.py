"""Every action a person takes on a case, written once: the lifecycle actions it performs, what it asks for,
and the one service it calls.

The faces are made from this list. The API publishes one endpoint per entry, its body built from the
entry's inputs (suban.api.routers.actions); the console draws one form per button, its fields built from
the same inputs (suban.console.actions). Neither spells an action's inputs or its service call again.

An entry's inputs are named as its service's keyword arguments. A reference (a unit, a matter, a person,
another case, a supervision order) arrives as text and is looked up before anything is written, so that a
typing error refuses the whole action; how a unit or matter is typed is the face's affair (the API takes
codes, the console a name or a code), so the face passes its own finders to `perform`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from django.db.models import TextChoices
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from suban.accounts.models import User
from suban.accounts.selectors import staff_by_username
from suban.cases import services
from suban.cases.deadlines import MAX_EXTENSION_DAYS
from suban.cases.lifecycle import BY_ACTION
from suban.cases.models import Action, Case, Satisfaction
from suban.cases.selectors import other_case, supervision_order
from suban.cases.services import DeclineReason
from suban.cases.services.handling import MAX_SUPERVISION_DAYS
from suban.catalogue.models import Matter
from suban.errors import Invalid, NotFound
from suban.intel.routing import case_dispatch_chosen
from suban.knowledge.models import Article
from suban.knowledge.selectors import article_for
from suban.knowledge.services import answer_case
from suban.mediation.models import Category, Risk
from suban.mediation.services import case_to_mediation
from suban.org.models import Unit

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise as Label

NOTE = 5000  # the longest text an action takes
MAX_CO_UNITS = 20


class Kind(StrEnum):
    TEXT = "text"
    CHOICE = "choice"  # one of `choices`
    FLAG = "flag"  # yes or no
    DAYS = "days"  # working days, in halves
    UNIT = "unit"  # a unit, typed
    UNITS = "units"  # several units, typed
    MATTER = "matter"  # a matter of the catalogue, typed
    PERSON = "person"  # a member of staff, by user name
    CASE = "case"  # another case, by number
    ORDER = "order"  # one of this case's supervision orders, by id
    ARTICLE = "article"  # a published article of the knowledge base, by id


@dataclass(frozen=True)
class Input:
    name: str  # the service's keyword argument
    kind: Kind
    label: Label  # what a person is asked (translated)
    required: bool = True
    doc: str = ""  # for the API's reference
    help: Label = ""  # a line under the console's field
    max_length: int | None = None
    choices: type[TextChoices] | None = None
    radio: bool = False  # few choices, all shown
    default: Any = None  # what the API assumes when it is left out, and the console's initial value
    max_days: int = 10
    rows: int = 2  # a longer text gets a taller box
    api: bool = True  # False: only the console asks it (the matter a dispatcher names, for the model)


@dataclass(frozen=True)
class Button:
    """One way a person triggers an entry: `preset` fixes inputs (approve or reject), `require` makes optional
    inputs required for this button, `danger` draws it as a cautionary button."""

    name: str  # a lifecycle action, or accept_dispatch
    preset: Mapping[str, Any] = field(default_factory=dict)
    require: frozenset[str] = frozenset()
    danger: bool = False


@dataclass(frozen=True)
class CaseAction:
    slug: str  # /api/cases/{number}/actions/<slug>
    performs: tuple[Action, ...]  # the lifecycle actions it may take
    summary: str  # for the API's reference
    service: Callable[..., object]
    inputs: tuple[Input, ...] = ()
    buttons: tuple[Button, ...] = ()
    on_order: bool = False  # the service acts on the supervision order named by the input `order`

    def inputs_for(self, button: Button) -> tuple[Input, ...]:
        """The inputs a button asks for: the entry's, less the preset ones, with its own required ones."""
        return tuple(
            replace(i, required=True) if i.name in button.require else i
            for i in self.inputs
            if i.name not in button.preset
        )


def _note(required: bool = False, label: Label | None = None, *, rows: int = 2) -> Input:
    return Input("note", Kind.TEXT, label or _("Note"), required=required, max_length=NOTE, rows=rows)


def _text(name: str, label: Label, *, rows: int = 2, doc: str = "") -> Input:
    return Input(name, Kind.TEXT, label, max_length=NOTE, rows=rows, doc=doc)


def _entry(
    slug: str, action: Action, summary: str, service: Callable[..., object], *inputs: Input, danger: bool = False
) -> CaseAction:
    return CaseAction(slug, (action,), summary, service, inputs, (Button(action, danger=danger),))


_UNIT_DOC = "a unit's code"

REGISTRY: tuple[CaseAction, ...] = (
    _entry("accept", Action.ACCEPT, "Accept a new request", services.case_accept, _note()),
    _entry(
        "decline",
        Action.DECLINE,
        "Decline a request, with the reason",
        services.case_decline,
        Input("reason", Kind.CHOICE, _("Reason"), choices=DeclineReason),
        _note(),
        danger=True,
    ),
    _entry(
        "merge",
        Action.MERGE,
        "Merge a duplicate into another case",
        services.case_merge,
        Input(
            "into",
            Kind.CASE,
            _("Case number it duplicates"),
            max_length=20,
            doc="the number of the case this one duplicates",
        ),
        _note(),
    ),
    CaseAction(
        "dispatch",
        (Action.DISPATCH,),
        "Dispatch to a lead unit (and co-handlers)",
        case_dispatch_chosen,
        (
            Input(
                "unit",
                Kind.UNIT,
                _("Lead unit"),
                required=False,
                doc="the lead unit's code; null: by the responsibility list",
                help=_("Empty: the unit the responsibility list gives."),
            ),
            Input(
                "co_units",
                Kind.UNITS,
                _("Co-handling units"),
                required=False,
                max_length=MAX_CO_UNITS,
                doc="co-handling units' codes",
            ),
            Input(
                "complained_unit",
                Kind.UNIT,
                _("Complaint about the staff of"),
                required=False,
                doc="a complaint about the staff of a unit: its code (neither lead nor co-handler may be in it)",
                help=_("A complaint about a unit's staff: that unit and the units under it never see it."),
            ),
            Input(
                "matter",
                Kind.MATTER,
                _("Matter"),
                required=False,
                help=_("What the request is about, if the suggestions missed it: the next model learns it."),
                api=False,
            ),
            _note(),
        ),
        # The dispatch centre's one click: accept a new case and dispatch it, in one transaction.
        (Button(Action.DISPATCH), Button("accept_dispatch", preset={"accept": True})),
    ),
    _entry("claim", Action.CLAIM, "Claim a dispatched case for your unit", services.case_claim),
    _entry(
        "handle-on-spot",
        Action.HANDLE_ON_SPOT,
        "Handle on the spot a case you reported from your own grid",
        services.case_handle_on_spot,
        _note(),
    ),
    _entry(
        "return",
        Action.RETURN,
        "Return a case that does not belong to your unit",
        services.case_return,
        _text("reason", _("Reason")),
        danger=True,
    ),
    _entry(
        "reject-return",
        Action.REJECT_RETURN,
        "Rule a return unfounded",
        services.case_reject_return,
        _note(required=True),
    ),
    _entry(
        "escalate",
        Action.ESCALATE,
        "Escalate to a higher unit or a department",
        services.case_escalate,
        Input(
            "to_unit",
            Kind.UNIT,
            _("To unit"),
            required=False,
            doc="a unit above, or a department; null: one rung up",
            help=_("Empty: one level up. Or a department."),
        ),
        _note(True, _("Why a higher level is needed")),
    ),
    _entry(
        "whistle",
        Action.WHISTLE,
        "Whistle a unit or specialist in beside the lead unit",
        services.case_whistle,
        Input("unit", Kind.UNIT, _("Unit whistled in"), doc="the code of the unit whistled in"),
        Input(
            "person",
            Kind.PERSON,
            _("Specialist (user name)"),
            required=False,
            max_length=150,
            doc="the user name of a specialist in that unit",
            help=_("Optional: a specialist of that unit."),
        ),
        _note(),
    ),
    _entry(
        "note",
        Action.NOTE,
        "Write a progress note",
        services.case_note,
        _note(True, _("Progress note"), rows=3),
        Input("public", Kind.FLAG, _("Show it to the citizen"), required=False, doc="shown to the citizen"),
    ),
    _entry(
        "extension",
        Action.REQUEST_EXTENSION,
        "Ask for more working days",
        services.case_request_extension,
        Input("days", Kind.DAYS, _("Working days"), max_days=int(MAX_EXTENSION_DAYS), doc="working days, in halves"),
        _text("reason", _("Why more time is needed")),
    ),
    CaseAction(
        "extension-decision",
        (Action.APPROVE_EXTENSION, Action.REJECT_EXTENSION),
        "Approve or reject an extension",
        services.case_decide_extension,
        (Input("approve", Kind.FLAG, _("Approve")), _note()),
        (
            Button(Action.APPROVE_EXTENSION, preset={"approve": True}),
            Button(Action.REJECT_EXTENSION, preset={"approve": False}, danger=True),
        ),
    ),
    _entry(
        "hold",
        Action.HOLD,
        "Put the case on hold (the clock stops)",
        services.case_hold,
        _text("reason", _("Reason")),
        danger=True,
    ),
    _entry("resume", Action.RESUME, "Resume a case on hold", services.case_resume, _note()),
    _entry(
        "reply",
        Action.REPLY,
        "Reply to the citizen (reviewed before release)",
        services.case_reply,
        _text("reply", _("Reply to the citizen"), rows=5),
    ),
    CaseAction(
        "review",
        (Action.APPROVE_REPLY, Action.SEND_BACK),
        "Release the reply, or send it back",
        services.case_review_reply,
        (Input("approve", Kind.FLAG, _("Approve")), _note()),
        (
            Button(Action.APPROVE_REPLY, preset={"approve": True}),
            Button(Action.SEND_BACK, preset={"approve": False}, require=frozenset({"note"}), danger=True),
        ),
    ),
    _entry(
        "rate",
        Action.RATE,
        "Rate the answer (the citizen, or the return visit)",
        services.case_rate,
        Input("satisfaction", Kind.CHOICE, _("Satisfaction"), choices=Satisfaction, radio=True),
        Input("resolved", Kind.FLAG, _("Resolved")),
        Input("comment", Kind.TEXT, _("What the citizen said"), required=False, max_length=500),
    ),
    _entry(
        "reopen",
        Action.REOPEN,
        "Reopen an unsatisfied case for rectification",
        services.case_reopen,
        _note(required=True),
    ),
    _entry("close", Action.CLOSE, "Close the case", services.case_close, _note()),
    _entry(
        "supervise",
        Action.SUPERVISE,
        "Order the lead unit to act (督办)",
        services.case_supervise,
        _note(True, _("What the unit must do")),
        Input(
            "days",
            Kind.DAYS,
            _("Working days to act"),
            default=Decimal(1),
            max_days=int(MAX_SUPERVISION_DAYS),
            doc="working days to act",
        ),
    ),
    CaseAction(
        "supervision-feedback",
        (Action.SUPERVISION_FEEDBACK,),
        "Answer a supervision order (办理反馈)",
        services.supervision_feedback,
        (
            Input(
                "order",
                Kind.ORDER,
                "",
                doc="the supervision order's id (in the case's timeline: the supervise step)",
            ),
            _text("feedback", _("What the unit has done"), doc="what the unit has done"),
        ),
        (Button(Action.SUPERVISION_FEEDBACK),),
        on_order=True,
    ),
    CaseAction(
        "supervision-done",
        (Action.SUPERVISION_DONE,),
        "Close a supervision order as done",
        services.supervision_done,
        (Input("order", Kind.ORDER, "", doc="the supervision order's id"), _note()),
        (Button(Action.SUPERVISION_DONE),),
        on_order=True,
    ),
    _entry(
        "raise-level",
        Action.RAISE_LEVEL,
        "Hand the case to a higher unit (提级办理)",
        services.case_raise_level,
        Input("unit", Kind.UNIT, _("Higher unit or department"), doc="the code of the higher unit or department"),
        _note(True, _("Why the level is raised")),
    ),
    _entry(
        "answer",
        Action.ANSWER,
        "Answer directly, as the service centre (直接答复; from a knowledge article, typically)",
        answer_case,
        _text("reply", _("Answer to the citizen"), rows=5),
        Input(
            "article",
            Kind.ARTICLE,
            "",
            required=False,
            doc="the id of the knowledge article the answer comes from (it counts one more use)",
        ),
    ),
    _entry(
        "to-mediation",
        Action.TO_MEDIATION,
        "Send the case to the mediation centre (矛调中心): a dispute is registered from it and the case waits on "
        "hold until the dispute ends",
        case_to_mediation,
        Input("category", Kind.CHOICE, _("Kind of dispute"), choices=Category),
        Input("risk", Kind.CHOICE, _("Risk level"), choices=Risk, required=False, default=Risk.GENERAL),
        _note(True, _("Why the case needs mediation"), rows=3),
    ),
    _entry(
        "add-info",
        Action.ADD_INFO,
        "Add information to your request",
        services.case_add_info,
        _text("text", _("What you want to add")),
    ),
)

BY_SLUG: dict[str, CaseAction] = {a.slug: a for a in REGISTRY}
# A button's name → its entry and the button.
BUTTONS: dict[str, tuple[CaseAction, Button]] = {b.name: (a, b) for a in REGISTRY for b in a.buttons}


def _check() -> None:
    """Said at import: an entry naming an action the lifecycle table lacks, or two entries for one action, is
    a programming error."""
    seen: set[str] = set()
    for entry in REGISTRY:
        for action in entry.performs:
            if action not in BY_ACTION:
                raise LookupError(f"/actions/{entry.slug} names an action the lifecycle table lacks: {action}")
            if action in seen:
                raise LookupError(f"two entries perform {action}")
            seen.add(action)


_check()


@dataclass(frozen=True)
class Finders:
    """How a face's people type a unit and a matter (the API: codes; the console: a name or a code)."""

    unit: Callable[[str, str], Unit]  # (text, field)
    units: Callable[[list[str], str], list[Unit]]
    matter: Callable[[str, str], Matter] | None = None


def _filled(value: Any) -> bool:
    return value is not None and (not isinstance(value, str) or bool(value.strip()))


def _find(i: Input, value: Any, find: Finders) -> Any:
    if i.kind is Kind.UNITS:
        return find.units(list(value or []), i.name)
    if not _filled(value):
        return None
    if i.kind is Kind.UNIT:
        return find.unit(value, i.name)
    return find.matter(value, i.name) if find.matter else None


def _resolve(i: Input, value: Any, case: Case, by: User, find: Finders | None) -> Any:
    if i.kind in (Kind.UNIT, Kind.UNITS, Kind.MATTER):
        if find is None:
            raise TypeError(f"{i.name}: a face that asks for units or matters passes its finders")
        return _find(i, value, find)
    if i.kind is Kind.PERSON:
        return staff_by_username(value, field=i.name) if _filled(value) else None
    if i.kind is Kind.CASE:
        return other_case(by, value.strip(), field=i.name)
    if i.kind is Kind.ORDER:
        return supervision_order(case, value)
    if i.kind is Kind.ARTICLE:
        return _article(by, value, i.name) if value else None
    return value


def _article(by: User, value: Any, field: str) -> Article:
    try:
        return article_for(by, int(value))
    except (NotFound, ValueError):
        raise Invalid(gettext("There is no such article in the knowledge base."), field=field) from None


def perform(
    entry: CaseAction,
    case: Case,
    by: User,
    values: Mapping[str, Any],
    *,
    find: Finders | None = None,
    button: Button | None = None,
) -> object:
    """Look every reference up, then call the entry's service once. `values` holds the inputs as the face
    received them (those it was not given take the service's default) and `version`, the case's version as
    the person last saw it; `button` adds its preset inputs."""
    kwargs: dict[str, Any] = {}
    for i in entry.inputs:
        if i.name in values:
            kwargs[i.name] = _resolve(i, values[i.name], case, by, find)
    if button is not None:
        kwargs.update(button.preset)
    order = kwargs.pop("order", None)
    target = {"order": order} if entry.on_order else {"case": case}
    return entry.service(**target, by=by, expected_version=values.get("version"), **kwargs)


def table_actions(entries: Iterable[CaseAction]) -> dict[str, tuple[str, ...]]:
    return {e.slug: tuple(str(a) for a in e.performs) for e in entries}
