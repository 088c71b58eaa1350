"""The case engine refuses to be misused: a step that writes rows of its own (a co-handler whistled in, a
supervision order) cannot run inside composite() or collecting(), whose writes wait for the unit's end."""

from __future__ import annotations

import pytest

from suban.cases.models import CoHandler, SupervisionOrder
from suban.cases.services import case_claim, case_supervise, case_whistle, supervision_done
from suban.cases.services.core import collecting, composite


def test_whistling_inside_a_composite_unit_fails_loudly_and_writes_nothing(cast, org, dispatched):
    case_claim(case=dispatched, by=cast.carol)
    version = dispatched.version
    with pytest.raises(RuntimeError, match="whistle"), composite():
        case_whistle(case=dispatched, by=cast.carol, unit=org["DEPT1"])
    assert not CoHandler.objects.filter(case=dispatched).exists()
    dispatched.refresh_from_db()
    assert dispatched.version == version


def test_supervising_while_collecting_fails_loudly(cast, dispatched):
    with pytest.raises(RuntimeError, match="supervise"), collecting():
        case_supervise(case=dispatched, by=cast.sam, note="请两日内修复")
    assert not SupervisionOrder.objects.exists()


def test_closing_an_order_inside_a_composite_unit_fails_loudly(cast, dispatched):
    order = case_supervise(case=dispatched, by=cast.sam, note="请两日内修复")
    with pytest.raises(RuntimeError, match="supervision_done"), composite():
        supervision_done(order=order, by=cast.sam)
    order.refresh_from_db()
    assert order.state == SupervisionOrder.State.OPEN


def test_outside_a_unit_the_same_steps_work(cast, org, dispatched):
    case_claim(case=dispatched, by=cast.carol)
    case_whistle(case=dispatched, by=cast.carol, unit=org["DEPT1"])
    assert CoHandler.objects.filter(case=dispatched, unit=org["DEPT1"]).exists()
