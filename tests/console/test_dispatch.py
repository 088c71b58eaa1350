"""The dispatch centre: accept and dispatch in one post or two, decline, merge, and decide on returns."""

from __future__ import annotations

import re

import pytest

from suban.cases.models import CaseEvent, CoHandler, Status
from suban.cases.services import case_accept, case_claim, case_dispatch, case_return
from suban.gridwork.services import grid_report
from tests.console.conftest import fresh


def test_it_lists_new_and_returned_cases_with_the_suggested_unit(page, cast, report):
    new = report("路灯不亮")
    nowhere = report("不知道在哪里", where={})
    html = page(cast.dora).get("/console/dispatch/").content.decode()
    row = html.split(f'data-testid="row-{new.number}"', 1)[1].split("</tr>", 1)[0]
    assert "东一社区" in row and 'data-testid="suggestion"' in row
    # No place, no suggestion: the reason is shown instead.
    row = html.split(f'data-testid="row-{nowhere.number}"', 1)[1].split("</tr>", 1)[0]
    assert 'data-testid="no-suggestion"' in row


def test_one_post_accepts_and_dispatches_to_the_suggested_unit(page, cast, report, org):
    case = report("路灯不亮")
    response = page(cast.dora).act(
        case, "accept_dispatch", {"ctx": "dispatch", "form": "quick", "unit": "东一社区（S1C1）"}
    )
    assert response.status_code == 302 and response["Location"] == "/console/dispatch/"
    case = fresh(case)
    assert case.status == Status.DISPATCHED and case.unit == org["S1C1"]
    assert list(case.events.values_list("action", flat=True)) == ["submit", "accept", "dispatch"]


def test_by_htmx_the_row_comes_back_done(page, cast, report):
    case = report("路灯不亮")
    response = page(cast.dora).act(case, "accept_dispatch", {"ctx": "dispatch", "form": "quick"}, htmx=True)
    assert response.status_code == 200
    body = response.content.decode()
    assert f'id="row-{case.number}"' in body and 'data-testid="row-done"' in body
    assert fresh(case).status == Status.DISPATCHED  # an empty unit: by the responsibility list


def test_accept_first_then_dispatch_to_another_unit_with_co_handlers(page, cast, report, org):
    case = report("井盖丢了")
    dora = page(cast.dora)
    assert dora.act(case, "accept", {"ctx": "dispatch", "form": "accept"}).status_code == 302
    case = fresh(case)
    assert case.status == Status.ACCEPTED
    response = dora.act(
        case,
        "dispatch",
        {
            "ctx": "dispatch",
            "form": "other",
            "unit": "东街道（S1）",
            "co_units": ["城管局", "DEPT2", ""],
            "note": "请街道牵头",
        },
    )
    assert response.status_code == 302
    case = fresh(case)
    assert case.status == Status.DISPATCHED and case.unit == org["S1"]
    assert set(CoHandler.objects.filter(case=case).values_list("unit__code", flat=True)) == {"DEPT1", "DEPT2"}


def test_an_unknown_unit_is_refused_next_to_the_field_and_nothing_changes(page, cast, report):
    case = report("井盖丢了")
    response = page(cast.dora).act(
        case,
        "accept_dispatch",
        {"ctx": "dispatch", "form": "other", "unit": "火星街道", "co_units": ["城管局"], "note": "急"},
        htmx=True,
    )
    body = response.content.decode()
    assert response.status_code == 200 and 'data-testid="error-unit"' in body
    assert 'value="火星街道"' in body and 'value="城管局"' in body and "急</textarea>" in body
    assert fresh(case).status == Status.NEW  # the accept was not written either


def test_the_fallback_post_redraws_the_whole_page_with_the_error(page, cast, report):
    case = report("井盖丢了")
    response = page(cast.dora).act(case, "decline", {"ctx": "dispatch", "form": "decline", "note": "重复诉求"})
    assert response.status_code == 400
    body = response.content.decode()
    assert 'data-testid="error-reason"' in body and "重复诉求</textarea>" in body
    assert "<html" in body  # a whole page


def test_decline_with_a_reason(page, cast, report):
    case = report("请帮我起诉邻居")
    response = page(cast.dora).act(
        case, "decline", {"ctx": "dispatch", "form": "decline", "reason": "legal_channel", "note": "请走诉讼程序"}
    )
    assert response.status_code == 302
    case = fresh(case)
    assert case.status == Status.DECLINED and case.decline_reason == "legal_channel"


def test_a_duplicate_merges_into_the_accepted_case(page, cast, report):
    first = report("东一社区门口路灯不亮")
    case_accept(case=first, by=cast.dora)
    again = report("路灯不亮，东一社区门口很黑")
    dora = page(cast.dora)
    html = dora.get("/console/dispatch/").content.decode()
    row = html.split(f'data-testid="row-{again.number}"', 1)[1].split("</tr>", 1)[0]
    assert f'data-testid="form-{again.number}-merge-{first.number}"' in row
    response = dora.act(again, "merge", {"ctx": "dispatch", "form": f"merge-{first.number}", "into": first.number})
    assert response.status_code == 302
    assert fresh(again).status == Status.MERGED and fresh(first).support_count == 2


def test_a_grid_workers_report_is_offered_as_a_duplicate_of_a_citizens_request(page, cast, report, frozen):
    citizens = report("小区门口井盖没了", text="东一社区3号楼前面的井盖不见了，晚上很危险")
    frozen.advance(minutes=10)
    # Gary reports the same missing cover in his grid, in his own words, without GPS (the grid's centre).
    gridworkers = grid_report(
        by=cast.gary, title="井盖缺失", text="东一社区3号楼前井盖缺失，夜间有行人跌落风险", address="东一社区3号楼前"
    )
    assert (citizens.channel, gridworkers.channel) == ("h5", "grid")
    html = page(cast.dora).get("/console/dispatch/").content.decode()
    for case, other in ((citizens, gridworkers), (gridworkers, citizens)):
        row = html.split(f'data-testid="row-{case.number}"', 1)[1].split("</tr>", 1)[0]
        assert f'href="/console/cases/{other.number}/"' in row


def test_a_returned_case_is_sent_on_or_its_return_rejected(page, cast, report, org):
    sent_on = report("路灯不亮", dispatch=True)
    kept = report("井盖丢了", dispatch=True)
    for case in (sent_on, kept):
        case_return(case=case, by=cast.carol, reason="不属于本社区")
    dora = page(cast.dora)
    html = dora.get("/console/dispatch/").content.decode()
    assert 'data-testid="returned-table"' in html and "不属于本社区" in html
    response = dora.act(fresh(sent_on), "dispatch", {"ctx": "dispatch", "form": "other", "unit": "DEPT1"})
    assert response.status_code == 302 and fresh(sent_on).unit == org["DEPT1"]
    # Rejecting needs a reason; then the community keeps the case for good.
    refused = dora.act(fresh(kept), "reject_return", {"ctx": "dispatch", "form": "reject_return"})
    assert refused.status_code == 400 and 'data-testid="error-note"' in refused.content.decode()
    response = dora.act(
        fresh(kept), "reject_return", {"ctx": "dispatch", "form": "reject_return", "note": "属于社区职责"}
    )
    kept = fresh(kept)
    assert response.status_code == 302 and kept.status == Status.DISPATCHED and kept.return_final
    case_claim(case=kept, by=cast.carol)
    assert CaseEvent.objects.filter(case=kept, action="reject_return").exists()


def test_a_street_handler_cannot_dispatch(page, cast, report):
    case = report("路灯不亮")
    alice = page(cast.alice)
    # A new request is the dispatch centre's: the street does not reach it yet.
    assert alice.act(case, "accept_dispatch", {"ctx": "dispatch", "form": "quick"}).status_code == 404
    case_accept(case=case, by=cast.dora)
    case_dispatch(case=case, by=cast.dora)
    case_return(case=fresh(case), by=cast.carol, reason="不属于本社区")
    # Returned by a community of her street: Alice reaches it now, and still may not send it on.
    response = alice.act(fresh(case), "dispatch", {"ctx": "dispatch", "form": "other", "unit": "东二社区（S1C2）"})
    assert response.status_code == 400 and fresh(case).status == Status.RETURNED
    assert 'data-testid="refusal"' in response.content.decode()


def counters(html: str) -> dict[str, str]:
    """The dispatch centre's counts and the console navigation's, by data-testid ("" for an item shown
    without a count); the navigation's current item is marked with a star."""
    found = dict(re.findall(r'data-testid="((?:intake|returned)-count)"[^>]*>(\d+)<', html))
    for testid, attrs, inner in re.findall(r'data-testid="(nav-[^"]+)"([^>]*)>(.*?)</a>', html, re.S):
        count = re.search(r'<span class="count[^"]*">(\d+)</span>', inner)
        found[testid] = (count.group(1) if count else "") + ("*" if 'aria-current="page"' in attrs else "")
    return found


def _accept_and_send(cases, cast):
    return cases["new"], "accept_dispatch", {"form": "quick"}


def _accept_only(cases, cast):
    return cases["new"], "accept", {"form": "accept"}


def _decline(cases, cast):
    return cases["new"], "decline", {"form": "decline", "reason": "legal_channel", "note": "请走诉讼程序"}


def _send_elsewhere(cases, cast):
    return cases["new"], "accept_dispatch", {"form": "other", "unit": "DEPT1"}


def _merge(cases, cast):
    into = cases["accepted"]
    return cases["duplicate"], "merge", {"form": f"merge-{into.number}", "into": into.number}


def _send_returned_on(cases, cast):
    return cases["returned"], "dispatch", {"form": "other", "unit": "DEPT1"}


def _reject_return(cases, cast):
    return cases["returned"], "reject_return", {"form": "reject_return", "note": "属于社区职责"}


def _stale(cases, cast):
    # Someone else dispatched it meanwhile: the refusal comes back, and the counts show their work too.
    case = cases["new"]
    old = fresh(case)
    case_accept(case=case, by=cast.dora)
    case_dispatch(case=fresh(case), by=cast.dora)
    return old, "accept_dispatch", {"form": "quick"}


@pytest.mark.parametrize(
    "act",
    [
        _accept_and_send,
        _accept_only,
        _decline,
        _send_elsewhere,
        _merge,
        _send_returned_on,
        _reject_return,
        _stale,
    ],
)
def test_an_htmx_action_swaps_in_the_counts_it_changed(page, cast, report, act):
    cases = {
        "new": report("请帮我修一下路灯"),
        "accepted": report("东一社区门口路灯不亮"),
        "returned": report("井盖丢了", dispatch=True),
    }
    case_accept(case=cases["accepted"], by=cast.dora)
    case_return(case=cases["returned"], by=cast.carol, reason="不属于本社区")
    cases["duplicate"] = report("路灯不亮，东一社区门口很黑")
    dora = page(cast.dora)
    before = counters(dora.get("/console/dispatch/").content.decode())
    case, action, data = act(cases, cast)
    response = dora.act(case, action, {"ctx": "dispatch", **data}, htmx=True)
    body = response.content.decode()
    assert response.status_code == 200 and f'id="row-{case.number}"' in body
    swapped = body.split("<template>", 1)[1]
    for box in ('id="intake-count"', 'id="returned-count"', 'id="console-nav-groups"'):
        assert re.search(box + r'[^>]*hx-swap-oob="true"', swapped), box
    # What a reload would show, the navigation still marking the dispatch centre.
    after = counters(dora.get("/console/dispatch/").content.decode())
    assert counters(swapped) == after and after["nav-dispatch"].endswith("*")
    if act is not _accept_only:  # accepting leaves the case in the same lists
        assert after != before


def test_a_dispatch_refused_as_stale_says_where_the_case_went_and_keeps_what_was_typed(page, cast, report, org):
    case = report("路灯不亮")
    seen = fresh(case)  # both dispatchers opened the centre with this version
    page(cast.dora).act(seen, "accept_dispatch", {"ctx": "dispatch", "form": "quick"}, htmx=True)
    late = page(cast.dora).act(
        seen,
        "accept_dispatch",
        {"ctx": "dispatch", "form": "other", "unit": "城管局（DEPT1）", "note": "B的备注很重要<b>!</b>"},
        htmx=True,
    )
    body = late.content.decode()
    assert 'data-testid="refusal"' in body and "东一社区" in body  # where it went
    assert "B的备注很重要&lt;b&gt;!&lt;/b&gt;" in body and "城管局（DEPT1）" in body  # kept, as text
    assert fresh(case).unit == org["S1C1"]


def test_of_several_co_handlers_only_the_unknown_one_is_marked(page, cast, report):
    case = report("井盖丢了")
    response = page(cast.dora).act(
        case,
        "accept_dispatch",
        {"ctx": "dispatch", "form": "other", "unit": "", "co_units": ["城管局（DEPT1）", "没有这个单位"], "note": ""},
        htmx=True,
    )
    body = response.content.decode()
    assert 'data-testid="error-co_units"' in body
    assert re.search(r'value="没有这个单位"[^>]*aria-invalid="true"', body)
    assert not re.search(r'value="城管局（DEPT1）"[^>]*aria-invalid', body)
