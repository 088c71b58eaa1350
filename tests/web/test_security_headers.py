"""Every face answers with a strict Content-Security-Policy: scripts from the site only (no inline script, no
eval), nothing from elsewhere, no framing."""

import pytest

from suban.cases.services import case_submit

CITIZEN_BACKEND = "suban.accounts.backends.CitizenSmsBackend"


def directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}


def assert_strict(response) -> None:
    policy = directives(response)
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]  # no 'unsafe-inline', no 'unsafe-eval', no host
    assert policy["style-src"] == ["'self'"]  # no <style> element; style="" only as an attribute
    assert policy["object-src"] == ["'none'"] and policy["frame-ancestors"] == ["'none'"]
    assert policy["form-action"] == ["'self'"] and policy["base-uri"] == ["'self'"]


@pytest.mark.parametrize("path", ["/", "/login/", "/admin/login/", "/h5/login/", "/api/docs"])
def test_public_pages_send_the_policy(client, db, path):
    assert_strict(client.get(path))


def test_the_faces_send_the_policy(client, login, cast):
    case = case_submit(by=cast.cindy, title="路灯不亮", text="门口路灯不亮。")
    for path in ("/console/dispatch/", "/console/inbox/", f"/console/cases/{case.number}/", "/dashboard/"):
        response = login(cast.dora).get(path)
        assert response.status_code == 200, path
        assert_strict(response)
    assert_strict(login(cast.secadmin).get("/admin/"))
    client.force_login(cast.cindy, backend=CITIZEN_BACKEND)
    assert_strict(client.get(f"/h5/mine/{case.number}/"))
