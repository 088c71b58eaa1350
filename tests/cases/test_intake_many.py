"""Many work orders at once (intake_many): checked first and all-or-nothing, numbered in one statement,
written set-based, deduplicated by source_ref, and row for row what case_intake writes for the same order."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from suban.accounts.roles import Role
from suban.accounts.services import staff_create, staff_update
from suban.cases.models import Case, CaseEvent, CaseNumberCounter, CoHandler, Status
from suban.cases.services import OrdersInvalid, case_intake, intake_many
from suban.cases.services.core import next_case_numbers
from suban.cases.signals import events_recorded
from suban.catalogue.models import Matter, Responsibility
from suban.errors import Conflict, Forbidden, Invalid
from suban.notify.models import Outbox
from suban.org.grid_index import invalidate_grid_index
from suban.org.models import UnitKind
from suban.org.services import unit_create
from tests.conftest import PASSWORD, Cast, square
from tests.timing import FrozenTime

# The fields that differ between two cases made from one order by definition.
OWN = {"id", "number", "contact_phone_encrypted", "source_ref"}


@pytest.fixture
def phones(cast: Cast) -> None:
    """Handlers with mobile numbers, so that dispatches make staff messages too."""
    for name, phone in (("carol", "13700000003"), ("dan", "13700000005"), ("alice", "13700000001")):
        staff_update(by=None, user=cast[name], phone=phone)


@pytest.fixture
def lamps(org: dict[str, Any]) -> Matter:
    """A matter the responsibility list gives to the department DEPT1."""
    matter = Matter.objects.create(code="SZ-LD", name="路灯", full_name="市政设施 / 路灯", level=2)
    Responsibility.objects.create(matter=matter, department=org["DEPT1"])
    return matter


def orders(org: dict[str, Any], lamps: Matter) -> list[dict[str, Any]]:
    """A mixed batch: by the list to a community, by the matter to a department, by hand with co-handlers,
    a development case to a street, an urgent one placed by its address, and one only submitted."""
    return [
        {
            "title": "路灯不亮",
            "text": "东一社区门口路灯坏了三天",
            "channel": "hotline",
            "contact_phone": "13912345678",
            "longitude": 120.008,
            "latitude": 36.008,
            "dispatch": True,
        },
        {
            "title": "路灯倒伏",
            "channel": "hotline",
            "matter": lamps,
            "longitude": 120.015,
            "latitude": 36.005,
            "dispatch": True,
        },
        {
            "title": "井盖缺失",
            "channel": "hotline",
            "contact_phone": "13912340000",
            "dispatch": True,
            "unit": org["S1C2"],
            "co_units": [org["DEPT1"], org["DEPT2"], org["S1C2"]],
            "dispatch_note": "请会同城管、住建处理",
        },
        {
            "title": "工地夜间施工",
            "channel": "hotline",
            "case_type": "development",
            "nature": "complaint",
            "urgency": "urgent",
            "longitude": 119.985,
            "latitude": 36.005,
            "anonymous": True,
            "dispatch": True,
        },
        {"title": "噪音扰民", "channel": "hotline", "contact_name": "陈先生", "confidential": True},
    ]


def snapshot(case: Case) -> dict[str, Any]:
    """Everything written for a case, the parts that must not differ between the two paths."""
    row = {k: v for k, v in Case.objects.filter(pk=case.pk).values().get().items() if k not in OWN}
    fresh = Case.objects.get(pk=case.pk)
    row["contact_phone"] = fresh.contact_phone
    events = [
        {k: v for k, v in e.items() if k not in {"id", "case_id"}}
        for e in CaseEvent.objects.filter(case=case).order_by("seq").values()
    ]
    co = list(CoHandler.objects.filter(case=case).order_by("pk").values_list("unit_id", "unit_path", "person_id"))
    messages = [
        (m.template, m.channel, m.recipient_id, m.to, m.subject, m.text.replace(case.number, "<N>"), m.sensitive)
        for m in Outbox.objects.filter(case=case).order_by("pk")
    ]
    return {"case": row, "events": events, "co_handlers": co, "messages": messages}


def test_each_order_is_written_exactly_as_case_intake_writes_it(cast, org, lamps, phones, frozen: FrozenTime):
    batch = orders(org, lamps)
    single = [case_intake(by=cast.dora, **order) for order in batch]
    taken = intake_many(by=cast.dora, orders=batch)
    assert [t.created for t in taken] == [True] * len(batch)
    for one, many in zip(single, taken, strict=True):
        expected, got = snapshot(one), snapshot(many.case)
        assert got == expected, one.title
    # The comparison saw every kind of row.
    dispatched = Case.objects.filter(status=Status.DISPATCHED)
    assert dispatched.count() == 8 and Case.objects.filter(status=Status.NEW).count() == 2
    assert {c.unit.code for c in dispatched} == {"S1C1", "DEPT1", "S1C2", "S2"}
    assert CoHandler.objects.filter(unit=org["S1C2"]).count() == 0  # the lead is no co-handler
    assert CoHandler.objects.count() == 4
    assert Outbox.objects.filter(template="staff_new_case").count() >= 4
    assert Outbox.objects.filter(template="case_accepted").count() == 4
    # The returned objects are the rows as written.
    for t in taken:
        assert t.case.pk and Case.objects.get(pk=t.case.pk).number == t.case.number
        assert Case.objects.get(pk=t.case.pk).version == t.case.version


def test_the_numbers_are_taken_in_one_statement_and_follow_on(cast, org, lamps, frozen):
    first = case_intake(by=cast.dora, title="先来的", channel="hotline")
    with CaptureQueriesContext(connection) as queries:
        taken = intake_many(by=cast.dora, orders=orders(org, lamps))
    counters = [q for q in queries.captured_queries if CaseNumberCounter._meta.db_table in q["sql"]]
    assert len(counters) == 1
    numbers = [int(t.case.number) for t in taken]
    assert numbers == list(range(int(first.number) + 1, int(first.number) + 1 + len(taken)))
    assert next_case_numbers(frozen(), 3) == [str(numbers[-1] + n) for n in (1, 2, 3)]
    assert next_case_numbers(frozen(), 0) == []


def test_a_batch_costs_the_same_queries_for_few_orders_or_many(cast, org, frozen, phones, settings):
    settings.CACHE_CHECK_SECONDS = 3600  # as in production: the master data is read once, then cached

    def batch(n: int, start: int) -> list[dict[str, Any]]:
        return [
            {
                "title": f"路灯不亮{i}",
                "channel": "hotline",
                "contact_phone": "13912345678",
                "longitude": 120.008,
                "latitude": 36.008,
                "dispatch": True,
                "source_ref": f"R{i}",
            }
            for i in range(start, start + n)
        ]

    intake_many(by=cast.dora, orders=batch(1, 0))  # warm the per-process caches
    counts = []
    for n, start in ((3, 100), (30, 200)):
        with CaptureQueriesContext(connection) as queries:
            taken = intake_many(by=cast.dora, orders=batch(n, start))
        assert len(taken) == n
        counts.append(len(queries.captured_queries))
    # Ten times the orders, the same statements (SQLite splits a long INSERT by its limit of variables).
    assert counts[1] - counts[0] <= (4 if connection.vendor == "sqlite" else 0), counts
    assert Outbox.objects.count() == 2 * 34


def test_one_bad_order_stops_the_batch_and_every_problem_is_listed(cast, org, lamps, frozen):
    before = (
        Case.objects.count(),
        CaseEvent.objects.count(),
        Outbox.objects.count(),
        CaseNumberCounter.objects.count(),
    )
    batch = [
        *orders(org, lamps),
        {"title": "   ", "channel": "hotline"},
        {"title": "没有位置", "channel": "hotline", "dispatch": True},  # the list cannot place it
        {"title": "只有经度", "longitude": 120.0},
        {"title": "多余字段", "colour": "red"},
        {"title": "未派发却选了单位", "unit": org["S1"]},
        {"title": "停用单位", "dispatch": True, "unit": org["D"]},
    ]
    with pytest.raises(OrdersInvalid) as caught:
        intake_many(by=cast.dora, orders=batch)
    errors = caught.value.errors
    assert [(e.index, e.field) for e in errors] == [
        (5, "title"),
        (6, "unit"),
        (7, "longitude"),
        (8, "colour"),
        (9, "unit"),
        (10, "unit"),
    ]
    assert caught.value.status == 422 and caught.value.details[0] == {
        "index": 5,
        "code": "invalid",
        "field": "title",
        "message": errors[0].message,
    }
    assert "6" in caught.value.message
    after = (Case.objects.count(), CaseEvent.objects.count(), Outbox.objects.count(), CaseNumberCounter.objects.count())
    assert after == before


def test_a_work_order_sent_again_gets_its_case(cast, org, frozen):
    order = {"title": "路灯不亮", "channel": "hotline", "longitude": 120.008, "latitude": 36.008, "dispatch": True}
    [first] = intake_many(by=cast.dora, orders=[{**order, "source_ref": "HL-1"}])
    again = intake_many(
        by=cast.dora,
        orders=[{**order, "source_ref": "HL-1"}, {**order, "source_ref": "HL-2"}, {**order, "source_ref": "HL-2"}],
    )
    assert [t.created for t in again] == [False, True, False]
    assert again[0].case.pk == first.case.pk and again[1].case is again[2].case
    assert Case.objects.count() == 2
    # The same reference from another channel is another sender's order.
    [other] = intake_many(by=cast.dora, orders=[{**order, "source_ref": "HL-1", "channel": "city"}])
    assert other.created and Case.objects.count() == 3
    # The single intake finds it too.
    assert case_intake(by=cast.dora, **{**order, "source_ref": "HL-1"}).pk == first.case.pk
    assert Case.objects.count() == 3


@pytest.fixture
def other_district(org: dict[str, Any]) -> dict[str, Any]:
    """A second district with one grid, and its own dispatcher."""
    d2 = unit_create(by=None, code="D2", name="另一区", kind=UnitKind.DISTRICT, parent=None)
    street = unit_create(by=None, code="D2S1", name="南街道", kind=UnitKind.STREET, parent=d2)
    community = unit_create(by=None, code="D2S1C1", name="南一社区", kind=UnitKind.COMMUNITY, parent=street)
    unit_create(
        by=None, code="D2G1", name="南一网格", kind=UnitKind.GRID, parent=community, boundary=square(121.0, 37.0)
    )
    invalidate_grid_index()
    dispatcher = staff_create(by=None, username="dx", name="Dx", unit=d2, roles=[Role.DISPATCHER], password=PASSWORD)
    return {"dispatcher": dispatcher, "community": community}


def test_a_reference_taken_outside_the_callers_reach_is_refused(cast, org, other_district, frozen):
    order = {"title": "路灯不亮", "channel": "hotline", "longitude": 120.008, "latitude": 36.008, "dispatch": True}
    intake_many(by=cast.dora, orders=[{**order, "source_ref": "HL-9"}])
    theirs = {"title": "路灯不亮", "channel": "hotline", "longitude": 121.005, "latitude": 37.005, "dispatch": True}
    with pytest.raises(OrdersInvalid) as caught:
        intake_many(by=other_district["dispatcher"], orders=[{**theirs, "source_ref": "HL-9"}])
    assert [(e.index, e.code, e.field) for e in caught.value.errors] == [(0, "conflict", "source_ref")]
    with pytest.raises(Conflict):
        case_intake(by=other_district["dispatcher"], **{**theirs, "source_ref": "HL-9"})


def test_the_callers_reach_holds_for_every_order(cast, org, other_district, frozen):
    dx = other_district["dispatcher"]
    inside = {"title": "南区的事", "channel": "hotline", "longitude": 121.005, "latitude": 37.005, "dispatch": True}
    outside = {"title": "演示区的事", "channel": "hotline", "longitude": 120.008, "latitude": 36.008, "dispatch": True}
    to_other = {**inside, "unit": org["S1C1"]}
    with pytest.raises(OrdersInvalid) as caught:
        intake_many(by=dx, orders=[inside, outside, to_other])
    assert [(e.index, e.code) for e in caught.value.errors] == [(1, "forbidden"), (2, "invalid")]
    with pytest.raises(Invalid):
        case_intake(by=dx, **to_other)
    [ok] = intake_many(by=dx, orders=[inside])
    assert ok.case.unit == other_district["community"] and ok.case.status == Status.DISPATCHED


def test_who_may_send_a_batch(cast, org, frozen):
    order = {"title": "噪音扰民", "channel": "hotline"}
    for name in ("cindy", "sysadmin"):
        with pytest.raises(Forbidden):
            intake_many(by=cast[name], orders=[order])
    with pytest.raises(Forbidden):
        intake_many(by=None, orders=[order])
    with pytest.raises(Forbidden):  # staff take requests in; only the dispatch centre dispatches them
        intake_many(by=cast.carol, orders=[{**order, "dispatch": True}])
    [taken] = intake_many(by=cast.carol, orders=[order])
    assert taken.case.status == Status.NEW and taken.case.reporter == cast.carol
    with pytest.raises(Invalid):
        intake_many(by=cast.dora, orders=[order] * 501)
    assert intake_many(by=cast.dora, orders=[]) == []


def test_the_batch_is_announced_once_with_all_its_events(cast, org, lamps, frozen):
    seen: list[Any] = []

    def on_many(sender: Any, events: list[CaseEvent], **kwargs: Any) -> None:
        assert all(e.pk and e.case.pk and e.case_id == e.case.pk for e in events)
        assert Case.objects.filter(pk__in={e.case_id for e in events}).count() == 3  # written before
        seen.append([(e.case.title, e.seq, e.action) for e in events])

    events_recorded.connect(on_many, dispatch_uid="test.on_many")
    try:
        intake_many(by=cast.dora, orders=orders(org, lamps)[2:])
    finally:
        events_recorded.disconnect(dispatch_uid="test.on_many")
    assert seen == [
        [
            ("井盖缺失", 1, "submit"),
            ("井盖缺失", 2, "accept"),
            ("井盖缺失", 3, "dispatch"),
            ("工地夜间施工", 1, "submit"),
            ("工地夜间施工", 2, "accept"),
            ("工地夜间施工", 3, "dispatch"),
            ("噪音扰民", 1, "submit"),
        ]
    ]


def test_a_concurrent_batch_with_the_same_reference_is_looked_up_again(cast, org, frozen, monkeypatch):
    """Two pushes of one batch at once: the loser's INSERT hits the unique reference and it answers with the
    winner's cases (simulated: the lookup misses the winner's row the first time)."""
    from suban.cases.services import intake as intake_module

    order = {"title": "路灯不亮", "channel": "hotline", "longitude": 120.008, "latitude": 36.008, "dispatch": True}
    [winner] = intake_many(by=cast.dora, orders=[{**order, "source_ref": "HL-7"}])
    real = intake_module._existing_by_ref
    calls = []

    def blind_once(by: Any, keys: Any) -> Any:
        calls.append(keys)
        return [] if len(calls) == 1 else real(by, keys)

    monkeypatch.setattr(intake_module, "_existing_by_ref", blind_once)
    [again] = intake_many(by=cast.dora, orders=[{**order, "source_ref": "HL-7"}])
    assert len(calls) == 2 and again.case.pk == winner.case.pk and not again.created
    assert Case.objects.count() == 1
