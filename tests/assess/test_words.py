"""The assessment pages as a clerk reads them: what a rank is ranked among, and full-width punctuation."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_a_units_page_says_its_ranks_are_the_districts(login, cast, org):
    html = login(cast.leo).get(f"/console/assessment/units/{org['S1'].pk}/").content.decode()
    assert 'data-testid="under"' in html
    assert ">全区排名</th>" in html and ">排名</th>" not in html
    assert "当前：" in html and "当前:" not in html
