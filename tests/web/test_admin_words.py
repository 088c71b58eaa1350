"""The admin in the words of a Chinese district's clerks, where Django's and django-axes' own fall short."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_the_security_admin_reads_the_lockouts_in_chinese(login, cast):
    html = login(cast.secadmin).get("/admin/").content.decode()
    assert "登录锁定" in html and ("登录尝试" in html or "登录失败与锁定" in html) and "登录日志" in html
    assert "Access attempts" not in html and ">Axes<" not in html
    # The hidden headers a screen reader reads out.
    assert "数据类型" in html and "Model name" not in html


def test_a_list_filter_and_the_add_button_read_as_chinese(login, cast):
    html = login(cast.sysadmin).get("/admin/org/unit/").content.decode()
    assert "按类型" in html and " 以 " not in html
    assert "新增单位" in html


def test_citizens_are_listed_by_their_masked_phone_not_their_internal_username(login, cast):
    client = login(cast.secadmin)
    html = client.get("/admin/accounts/user/?kind__exact=citizen").content.decode()
    assert "群众 138****0001" in html
    assert cast.cindy.username not in html  # c_<digest>: means nothing to a reader
    page = client.get(f"/admin/accounts/user/{cast.cindy.pk}/change/").content.decode()
    assert "群众 138****0001" in page and f">{cast.cindy.username}<" not in page
