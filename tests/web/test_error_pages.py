"""The error pages speak the site's language in the face's own look, with DEBUG on (the demo) and off."""

import pytest
from django.test import Client, RequestFactory

from suban.cases.services import case_submit
from suban.web.errors import server_error

CITIZEN_BACKEND = "suban.accounts.backends.CitizenSmsBackend"


@pytest.fixture(params=[True, False], ids=["debug", "production"])
def debug(request, settings):
    settings.DEBUG = request.param
    return request.param


@pytest.fixture
def chens_request(cast):
    return case_submit(by=cast.chen, title="楼道堆放杂物", text="3号楼楼道堆满纸箱。")


def test_someone_elses_request_on_the_h5_is_a_chinese_h5_page(debug, cast, chens_request):
    cindy = Client()
    cindy.force_login(cast.cindy, backend=CITIZEN_BACKEND)
    response = cindy.get(f"/h5/mine/{chens_request.number}/")
    page = response.content.decode()
    assert response.status_code == 404
    assert 'data-testid="error-404"' in page and "页面不存在" in page and 'class="h5' in page
    assert "我的诉求" in page and chens_request.title not in page
    assert "Page not found" not in page and "URLconf" not in page and "Traceback" not in page


def test_a_case_out_of_reach_in_the_console_is_the_sites_page(debug, login, cast, chens_request):
    response = login(cast.alice).get(f"/console/cases/{chens_request.number}/")
    page = response.content.decode()
    assert response.status_code == 404 and 'data-testid="error-404"' in page and "页面不存在" in page
    assert "suban.css" in page and "URLconf" not in page


def test_a_refusal_says_why_in_chinese(debug, login, cast):
    response = login(cast.carol).get("/console/citysync/")
    page = response.content.decode()
    assert response.status_code == 403 and 'data-testid="error-403"' in page and "无权访问" in page
    assert "403 Forbidden" not in page


def test_the_api_keeps_its_own_error_format(debug, login, cast):
    response = login(cast.alice).get("/api/cases/20990101000001")
    assert response.status_code == 404 and response.json()["error"]["code"]


def test_the_server_error_page_needs_no_database_and_speaks_chinese(db):
    response = server_error(RequestFactory().get("/console/"))
    page = response.content.decode()
    assert response.status_code == 500 and "系统出错了" in page and "suban.css" in page
