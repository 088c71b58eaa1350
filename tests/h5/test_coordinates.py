"""The H5 form's point is WGS-84 (the browser's position, a tap on our grid map) unless the page says
otherwise in its hidden `coordinate_system` (a WeChat or Chinese-map wrapper: "gcj02", "bd09")."""

from __future__ import annotations

from suban.cases.models import Case
from suban.org.coords import wgs84_to_gcj02
from tests.h5.conftest import form_data

WGS = (120.005, 36.005)  # in S1C1G1; its GCJ-02 lies in S1C1G2
GCJ = wgs84_to_gcj02(*WGS)


def at(lng_lat: tuple[float, float], **fields: str) -> dict[str, str]:
    return {"longitude": repr(lng_lat[0]), "latitude": repr(lng_lat[1]), **fields}


def test_the_form_says_wgs84_unless_told_otherwise(as_citizen, cast):
    body = as_citizen(cast.cindy).get("/h5/new/").content.decode()
    assert 'name="coordinate_system" id="id_coordinate_system" value="wgs84"' in body


def test_the_default_point_is_stored_as_sent(as_citizen, cast, frozen):
    response = as_citizen(cast.cindy).post("/h5/new/", form_data(**at(GCJ)))
    assert response.status_code == 302
    case = Case.objects.get()
    assert (case.longitude, case.latitude) == GCJ and case.grid is not None and case.grid.code == "S1C1G2"


def test_a_gcj02_point_is_stored_in_wgs84_once_even_after_the_form_comes_back(as_citizen, cast, frozen):
    client = as_citizen(cast.cindy)
    data = form_data(**at(GCJ, coordinate_system="gcj02"))
    again = client.post("/h5/new/", {**data, "title": ""})
    assert again.status_code == 200 and not Case.objects.exists()
    body = again.content.decode()
    # The form comes back with the point as sent and its system, so the next post converts it once.
    assert f'value="{GCJ[0]!r}"' in body and 'id="id_coordinate_system" value="gcj02"' in body
    assert client.post("/h5/new/", data).status_code == 302
    case = Case.objects.get()
    assert case.longitude is not None and case.latitude is not None
    assert abs(case.longitude - WGS[0]) < 1e-6 and abs(case.latitude - WGS[1]) < 1e-6
    assert case.grid is not None and case.grid.code == "S1C1G1"


def test_an_unknown_system_is_refused_and_nothing_is_stored(as_citizen, cast, frozen):
    response = as_citizen(cast.cindy).post("/h5/new/", form_data(**at(GCJ, coordinate_system="mars")))
    assert response.status_code == 200
    assert 'data-testid="error-address"' in response.content.decode()
    assert not Case.objects.exists()
