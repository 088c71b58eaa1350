"""What the machine draws from and keeps count with: the actors, units, texts, days and actions, the hotline
batch orders, the tally of successes, and the footprint that proves a refused action wrote nothing."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from hypothesis import strategies as st

from suban.cases.models import Case, CaseEvent, CoHandler, SupervisionOrder
from suban.org.models import Unit, UnitKind
from tests.timing import at

EPSILON = timedelta(milliseconds=1)

ACTORS: list[str | None] = [
    "dora",
    "sam",
    "leo",
    "alice",
    "bob",
    "carol",
    "gary",
    "dan",
    "sysadmin",
    "secadmin",
    "auditor",
    "cindy",
    "chen",
    "ghost",  # a disabled community handler of S1C1
    None,  # the system
]
UNIT_CODES: list[str | None] = [
    None,
    "D",
    "S1",
    "S2",
    "S1C1",
    "S1C2",
    "S2C1",
    "S1C1G1",
    "S1C1G2",
    "S1C2G1",
    "S2C1G1",
    "S1C1X",
    "DEPT1",
    "DEPT2",
]
TEXTS = st.sampled_from(["", "   ", *(["已核实，需要处理", "请尽快处理", "按规定办理", "已联系当事人"] * 2)])
GOOD_DAYS = [1, 2, "0.5", "1.5", 3, 10]
BAD_DAYS = [11, 0, -1, "1.3", "0.25", "abc", "NaN", "Infinity", "1e300", True, 101]
DAYS = st.one_of(st.sampled_from(GOOD_DAYS), st.sampled_from(BAD_DAYS))
VERSIONS = st.sampled_from(["none", "none", "none", "none", "current", "current", "stale"])
STARTS = [at(2026, 2, 12, 9, 30), at(2025, 9, 29, 16), at(2026, 4, 30, 11), at(2026, 12, 28, 10), at(2026, 6, 1, 8)]
START_LEVEL = {"livelihood": UnitKind.COMMUNITY, "development": UnitKind.STREET}
TALLY: dict[str, int] = {}  # successful actions (and the clock's warnings) over all examples
# Actions that give the case a fresh deadline.
CLOCK_STARTS = {"dispatch", "escalate", "raise_level", "reopen"}

# The services, by the name of their action (review_reply and decide_extension stand for two table actions).
ACTIONS = [
    "accept",
    "decline",
    "merge",
    "dispatch",
    "claim",
    "return",
    "reject_return",
    "escalate",
    "whistle",
    "note",
    "request_extension",
    "decide_extension",
    "hold",
    "resume",
    "reply",
    "review_reply",
    "rate",
    "reopen",
    "close",
    "supervise",
    "raise_level",
    "add_info",
]


TABLE_ACTIONS = {a: (a,) for a in ACTIONS} | {
    "review_reply": ("approve_reply", "send_back"),
    "decide_extension": ("approve_extension", "reject_extension"),
}


# Orders of a hotline batch (intake_many), each with whether it can be taken in.
BATCH: list[tuple[Callable[[dict[str, Unit]], dict[str, Any]], bool]] = [
    (
        lambda u: {
            "title": "路灯不亮",
            "channel": "hotline",
            "longitude": 120.005,
            "latitude": 36.005,
            "dispatch": True,
        },
        True,
    ),
    (
        lambda u: {
            "title": "工地夜间施工",
            "channel": "hotline",
            "case_type": "development",
            "urgency": "urgent",
            "longitude": 119.985,
            "latitude": 36.005,
            "dispatch": True,
        },
        True,
    ),
    (
        lambda u: {
            "title": "热线来电",
            "channel": "hotline",
            "contact_phone": "13800000009",
            "dispatch": True,
            "unit": u["S1C1G1"],
            "co_units": [u["DEPT1"]],
        },
        True,
    ),
    (lambda u: {"title": "噪音扰民", "channel": "hotline"}, True),
    (lambda u: {"title": "无处可派", "channel": "hotline", "dispatch": True}, False),
    (lambda u: {"title": "  ", "channel": "hotline"}, False),
]


def blank(text: str) -> bool:
    return not text.strip()


def valid_days(value: Any) -> bool:
    try:
        days = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return False
    return days.is_finite() and 0 < days <= 100 and (days * 2) == (days * 2).to_integral_value()


def row(pk: int) -> dict[str, Any]:
    return dict(Case.objects.filter(pk=pk).values().get())


@dataclass
class Footprint:
    """Everything an action may write, to prove a refused action wrote nothing."""

    rows: dict[int, dict[str, Any]]
    events: int
    co_handlers: int
    orders: int
    open_orders: int

    @classmethod
    def take(cls) -> Footprint:
        return cls(
            rows={c["id"]: dict(c) for c in Case.objects.values()},
            events=CaseEvent.objects.count(),
            co_handlers=CoHandler.objects.count(),
            orders=SupervisionOrder.objects.count(),
            open_orders=SupervisionOrder.objects.filter(state=SupervisionOrder.State.OPEN).count(),
        )
