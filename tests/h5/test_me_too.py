""" "Already reported — follow it": before a request is sent, the citizen sees the open requests near in place
and time that say the same thing, and may follow one instead (me too) or send their own."""

from __future__ import annotations

from typing import Any

import pytest

from suban.cases.models import Case, Status
from suban.cases.services import case_accept, case_submit
from suban.h5.services import h5_me_too, me_too_candidates
from tests.conftest import Cast
from tests.h5.conftest import form_data


@pytest.fixture
def reported(cast: Cast, frozen: Any) -> Case:
    """Chen reported the street light first; the district took it in."""
    case = case_submit(
        by=cast.chen,
        title="东门口路灯不亮",
        text="东一社区东门口路灯坏了，晚上很黑",
        longitude=120.008,
        latitude=36.008,
    )
    return case_accept(case=case, by=cast.dora)


def test_the_same_problem_nearby_is_offered_before_anything_is_sent(as_citizen, cast, reported) -> None:
    client = as_citizen(cast.cindy)
    response = client.post("/h5/new/", form_data())
    body = response.content.decode()
    assert response.status_code == 200 and 'data-testid="already-reported"' in body
    assert f'data-testid="offered-{reported.number}"' in body and reported.title in body
    assert "13800000002" not in body and "王女士" in body  # the citizen's own form is kept, no one's phone
    assert Case.objects.count() == 1  # nothing sent yet


def test_submitting_mine_anyway_sends_it(as_citizen, cast, reported) -> None:
    response = as_citizen(cast.cindy).post("/h5/new/", form_data(proceed="1"))
    assert response.status_code == 302
    mine = Case.objects.exclude(pk=reported.pk).get()
    assert mine.citizen == cast.cindy and mine.status == Status.NEW


def test_only_open_public_requests_of_others_taken_in_by_the_district_are_offered(cast, reported) -> None:
    def offered(by: Any, **where: Any) -> list[str]:
        place = {"longitude": 120.008, "latitude": 36.008, **where}
        return [d.case.number for d in me_too_candidates(by=by, title="路灯不亮", text="东门口路灯坏了", **place)]

    assert offered(cast.cindy) == [reported.number]
    assert offered(cast.chen) == []  # one's own request
    assert offered(cast.cindy, longitude=119.985, latitude=36.005) == []  # another street
    brand_new = case_submit(by=cast.chen, title="路灯不亮了", text="东门口", longitude=120.008, latitude=36.008)
    assert brand_new.number not in offered(cast.cindy)  # not taken in yet
    Case.objects.filter(pk=reported.pk).update(confidential=True)
    assert offered(cast.cindy) == []


def test_following_counts_the_citizen_in_and_gives_them_its_answer(as_citizen, cast, reported) -> None:
    client = as_citizen(cast.cindy)
    data = form_data(proceed="1", me_too=reported.number)
    response = client.post("/h5/new/", data)
    mine = Case.objects.exclude(pk=reported.pk).get()
    assert response.status_code == 302 and response["Location"] == f"/h5/mine/{mine.number}/"
    assert mine.status == Status.MERGED and mine.merged_into_id == reported.pk and mine.citizen == cast.cindy
    reported.refresh_from_db()
    assert reported.support_count == 2
    client.post("/h5/new/", data)  # the same form again: nothing new
    assert Case.objects.count() == 2


def test_a_request_that_cannot_be_followed_is_refused_and_nothing_is_written(cast, reported) -> None:
    import uuid

    from suban.errors import Invalid

    with pytest.raises(Invalid):
        h5_me_too(
            by=cast.cindy,
            key=uuid.uuid4(),
            into=reported.number,
            title="垃圾桶满了",
            text="没人清运",
            case_type="livelihood",
            longitude=120.008,
            latitude=36.008,
        )
    assert Case.objects.count() == 1
