"""The H5's other pages: home, the grid map's data, the language switch."""

from __future__ import annotations

from suban.cases.services import case_submit


def test_home_counts_my_open_requests(as_citizen, cast, visiting):
    case_submit(by=cast.cindy, title="噪音", text="x")
    body = as_citizen(cast.cindy).get("/h5/").content.decode()
    assert 'data-testid="home-submit"' in body and 'data-testid="tabbar"' in body
    assert "138****0001" in body


def test_the_map_reads_the_grids_with_names_only(as_citizen, cast):
    client = as_citizen(cast.cindy)
    response = client.get("/h5/grids.geojson")
    assert response.status_code == 200 and response["Content-Type"] == "application/geo+json"
    data = response.json()
    by_code = {f["properties"]["code"]: f for f in data["features"]}
    assert by_code["S1C1G1"]["properties"] == {"code": "S1C1G1", "name": "东一社区第一网格", "community": "东一社区"}
    assert by_code["S1C1G1"]["geometry"]["type"] == "Polygon"
    assert "S1" not in by_code  # grids only
    again = client.get("/h5/grids.geojson", headers={"If-None-Match": response["ETag"]})
    assert again.status_code == 304


def test_the_map_data_needs_a_login(client, db):
    assert client.get("/h5/grids.geojson").status_code == 302


def test_pages_speak_chinese_by_default_and_english_on_request(as_citizen, cast):
    client = as_citizen(cast.cindy)
    assert client.get("/h5/new/")["Content-Language"] == "zh-hans"
    client.post("/i18n/setlang/", {"language": "en", "next": "/h5/new/"})
    page = client.get("/h5/new/")
    assert page["Content-Language"] == "en" and "Report a problem" in page.content.decode()
