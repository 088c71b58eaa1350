"""The dispatch centre's counts follow its htmx actions, without a reload."""

from __future__ import annotations

import pytest

from suban.cases.services import case_submit
from tests.conftest import PASSWORD
from tests.e2e.conftest import layout_problems, screenshot, staff_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

COUNTS = "[data-testid=intake-count], [data-testid=returned-count], [data-testid=console-nav] a"


def counts(page) -> list[str]:
    """Every count on the page, with the navigation's items and which one is current."""
    return page.eval_on_selector_all(
        COUNTS,
        "els => els.map(e => `${e.dataset.testid}=${e.querySelector('.count')?.textContent ?? e.textContent}`"
        " + (e.getAttribute('aria-current') ? '*' : ''))",
    )


@pytest.mark.parametrize("phone", [False, True], ids=["desktop", "phone"])
def test_sending_a_request_on_updates_the_counts_in_place(faces, cast, org, phone):
    first, second = (
        case_submit(by=cast.cindy, title=title, text=title, longitude=120.008, latitude=36.008)
        for title in ("路灯不亮", "井盖丢了")
    )
    page = faces.phone() if phone else faces.desktop()
    staff_login(page, "dora", PASSWORD, next_url="/console/dispatch/")
    assert page.text_content("[data-testid=intake-count]") == "2"
    before = counts(page)
    page.click(f"[data-testid='submit-{first.number}-quick']")
    page.locator(f"[data-testid='row-{first.number}'] [data-testid=row-done]").wait_for()
    page.wait_for_function("() => document.querySelector('[data-testid=intake-count]').textContent === '1'")
    swapped = counts(page)
    assert swapped != before
    assert page.locator(f"[data-testid='row-{second.number}']").is_visible()  # the rest of the page stays
    assert not layout_problems(page)
    screenshot(page, f"dispatch-counts-{'phone' if phone else 'desktop'}")
    page.reload()
    assert counts(page) == swapped  # what a reload shows
