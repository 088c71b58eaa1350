"""The data migrations that mend records written before the mends: reply steps get back the text they replied
with where it still exists, and orders left open on cases that ended are ended with them."""

from __future__ import annotations

import importlib
from types import SimpleNamespace
from typing import Any

from django.apps import apps
from django.db import connection

from suban.cases.models import Case, CaseEvent, SupervisionOrder
from suban.cases.services import (
    case_claim,
    case_rate,
    case_reply,
    case_review_reply,
    case_supervise,
)
from tests.cases.test_reply_record import DRAFT, FIRST, SECOND, two_rounds
from tests.conftest import Cast


def run(migration: str, function: str) -> None:
    """A migration's function on the test database (it reads only the editor's connection; SQLite's editor
    cannot be opened inside the test's transaction)."""
    module = importlib.import_module(f"suban.cases.migrations.{migration}")
    getattr(module, function)(apps, SimpleNamespace(connection=connection))


def test_reply_steps_written_before_get_their_text_back_where_it_exists(dispatched: Case, cast: Cast):
    two_rounds(dispatched, cast)
    # As the steps were written before: whether in time, and no text.
    CaseEvent.objects.filter(case=dispatched, action="reply").update(data={"in_time": True})
    run("0009_reply_event_text", "recover_reply_texts")
    replies = CaseEvent.objects.filter(case=dispatched, action="reply").order_by("seq")
    # The first and the last come back from their release; the draft sent back was never kept.
    assert [e.data.get("reply") for e in replies] == [FIRST, None, SECOND]
    assert all(e.data["in_time"] is True for e in replies)


def test_a_reply_still_under_review_gets_the_cases_text(dispatched: Case, cast: Cast):
    case_claim(case=dispatched, by=cast.carol)
    case_reply(case=dispatched, by=cast.carol, reply=FIRST)
    case_review_reply(case=dispatched, by=cast.dora, approve=False, note="请附照片")
    CaseEvent.objects.filter(case=dispatched, action="reply").update(data={"in_time": True})
    run("0009_reply_event_text", "recover_reply_texts")
    assert CaseEvent.objects.get(case=dispatched, action="reply").data == {"in_time": True, "reply": FIRST}
    assert DRAFT not in FIRST


def test_orders_left_open_on_ended_cases_end_with_them(dispatched: Case, cast: Cast, frozen: Any):
    case_claim(case=dispatched, by=cast.carol)
    order = case_supervise(case=dispatched, by=cast.sam, note="请两日内修复")
    case_reply(case=dispatched, by=cast.carol, reply=FIRST)
    case_review_reply(case=dispatched, by=cast.dora, approve=True)
    frozen.advance(hours=5)
    case_rate(case=dispatched, by=cast.cindy, satisfaction="satisfied", resolved=True)
    # As an older version left it: open although the case closed.
    SupervisionOrder.objects.filter(pk=order.pk).update(state="open", outcome="", done_at=None, done_by=None)
    run("0010_supervision_outcome", "settle")
    saved = SupervisionOrder.objects.get(pk=order.pk)
    assert (saved.state, saved.outcome, saved.done_by) == ("done", "case_closed", cast.cindy)
    assert saved.done_at == CaseEvent.objects.get(case=dispatched, action="rate").at == frozen()


def test_an_open_case_keeps_its_open_order(dispatched: Case, cast: Cast):
    case_claim(case=dispatched, by=cast.carol)
    order = case_supervise(case=dispatched, by=cast.sam, note="请两日内修复")
    run("0010_supervision_outcome", "settle")
    saved = SupervisionOrder.objects.get(pk=order.pk)
    assert (saved.state, saved.outcome, saved.done_at) == ("open", "", None)
