"""Who gets into the console, and where each person starts."""

from __future__ import annotations

import pytest


def test_an_anonymous_visitor_is_sent_to_log_in(client):
    response = client.get("/console/inbox/")
    assert response.status_code == 302 and response["Location"].startswith("/login/?next=/console/inbox/")


def test_a_citizen_never_gets_in(page, cast):
    from suban.accounts.access import console_refusal

    assert console_refusal(cast.cindy) is not None
    # Citizens have no password: no staff session can carry them, so the console sends them to log in.
    response = page(cast.cindy).get("/console/inbox/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")


@pytest.mark.parametrize("name", ["sysadmin", "secadmin", "auditor"])
def test_admin_accounts_are_refused(page, cast, name):
    who = page(cast[name])
    for path in ("/console/", "/console/inbox/", "/console/dispatch/", "/console/inbox/export.xlsx"):
        response = who.get(path)
        assert response.status_code == 403, path
        assert b'data-testid="refused"' in response.content


@pytest.mark.parametrize(
    ("name", "home"),
    [
        ("dora", "/console/dispatch/"),
        ("alice", "/console/inbox/"),
        ("carol", "/console/inbox/"),
        ("dan", "/console/inbox/"),
        ("leo", "/console/inbox/"),
    ],
)
def test_each_role_starts_on_its_main_page(page, cast, name, home):
    response = page(cast[name]).get("/console/")
    assert response.status_code == 302 and response["Location"] == home


def test_a_grid_worker_starts_in_their_grid_when_that_page_exists_else_in_the_inbox(page, cast):
    from suban.accounts.access import optional_url

    response = page(cast.gary).get("/console/")
    assert response["Location"] == (optional_url("gridwork:my_grid") or "/console/inbox/")


def test_a_supervisor_starts_on_the_board_or_the_inbox(page, cast):
    from suban.accounts.access import optional_url

    response = page(cast.sam).get("/console/")
    assert response["Location"] == (optional_url("gridwork:board") or "/console/inbox/")


def test_only_dispatchers_open_the_dispatch_centre(page, cast):
    assert page(cast.dora).get("/console/dispatch/").status_code == 200
    for name in ("alice", "sam", "leo", "gary"):
        assert page(cast[name]).get("/console/dispatch/").status_code == 403


def test_the_nav_lists_the_sections_each_person_may_use(page, cast, report):
    report("路灯不亮", dispatch=True)  # to 东一社区 (S1C1), waiting for its claim
    dora = page(cast.dora).get("/console/inbox/").content.decode()
    assert 'data-testid="nav-dispatch"' in dora and 'data-testid="nav-tab-to_review"' in dora
    assert 'data-testid="nav-tab-co"' not in dora
    carol = page(cast.carol).get("/console/inbox/").content.decode()
    assert 'data-testid="nav-dispatch"' not in carol and 'data-testid="nav-tab-to_review"' not in carol
    assert 'data-testid="nav-tab-co"' in carol
    # Carol's unit leads the case: one to claim, counted in the nav.
    nav = carol.split('data-testid="nav-tab-to_claim"', 1)[1].split("</a>", 1)[0]
    assert '<span class="count">1</span>' in nav


def test_the_nav_links_the_grid_work_pages_that_exist_to_the_roles_that_use_them(page, cast):
    from suban.accounts.access import optional_url

    gary = page(cast.gary).get("/console/inbox/").content.decode()
    sam = page(cast.sam).get("/console/inbox/").content.decode()
    for name, shown_to_gary, shown_to_sam in [
        ("gridwork:report", True, False),
        ("gridwork:my_grid", True, False),
        ("gridwork:patrol", True, False),
        ("gridwork:visits", False, True),
        ("gridwork:board", False, True),
    ]:
        url = optional_url(name)
        testid = f'data-testid="nav-{name.replace(":", "-")}"'
        assert (testid in gary) == (bool(url) and shown_to_gary), name
        assert (testid in sam) == (bool(url) and shown_to_sam), name
