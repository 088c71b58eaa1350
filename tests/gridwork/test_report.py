"""上报事项: a grid worker files what they found; the case lands in their grid, through the dispatch centre."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from suban.cases.models import Attachment, Case, Channel, Status
from suban.gridwork.models import GridReport
from tests.conftest import Cast
from tests.gridwork.conftest import INSIDE_G1, INSIDE_S2, jpeg

URL = "/console/grid/report/"


def form(**extra: Any) -> dict[str, Any]:
    data = {
        "case_type": "livelihood",
        "nature": "help",
        "urgency": "normal",
        "title": "井盖缺失",
        "text": "东一社区3号楼前井盖缺失，夜间有行人跌落风险",
        "address": "东一社区3号楼前",
    }
    data.update(extra)
    return data


def test_url_names_the_console_links_to() -> None:
    assert reverse("gridwork:report") == URL
    assert reverse("gridwork:my_grid") == "/console/grid/"
    assert reverse("gridwork:patrol") == "/console/grid/patrol/"
    assert reverse("gridwork:visits") == "/console/supervise/visits/"
    assert reverse("gridwork:board") == "/console/supervise/board/"
    assert reverse("gridwork:escalations") == "/console/supervise/escalations/"


def test_the_form_opens_the_phone_camera(cast: Cast, login: Any, frozen: Any) -> None:
    page = login(cast.gary).get(URL)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'accept="image/*"' in html and 'capture="environment"' in html
    assert 'data-testid="report-submit"' in html and 'data-testid="report-locate"' in html


def test_a_report_with_a_photo_and_gps_lies_in_the_workers_grid(
    cast: Cast, org: dict[str, Any], login: Any, frozen: Any
) -> None:
    lon, lat = INSIDE_G1
    response = login(cast.gary).post(URL, form(longitude=lon, latitude=lat, photos=[jpeg()]))
    assert response.status_code == 302
    assert response["Location"] == "/console/grid/?show=reported"
    case = Case.objects.get(title="井盖缺失")
    assert case.channel == Channel.GRID
    assert case.status == Status.NEW
    assert case.reporter == cast.gary
    assert case.grid == org["S1C1G1"]
    assert (case.longitude, case.latitude) == (lon, lat)
    photo = Attachment.objects.get(case=case)
    assert photo.kind == Attachment.Kind.PHOTO
    assert photo.event is not None and photo.event.action == "submit"
    report = GridReport.objects.get(case=case)
    assert report.worker == cast.gary and report.located_by == GridReport.Located.GPS
    # The report is in the worker's own list of open cases.
    listing = login(cast.gary).get("/console/grid/?show=reported").content.decode()
    assert case.number in listing


def test_without_gps_the_case_is_placed_at_the_grids_centre(
    cast: Cast, org: dict[str, Any], login: Any, frozen: Any
) -> None:
    response = login(cast.gary).post(URL, form())
    assert response.status_code == 302
    case = Case.objects.get(title="井盖缺失")
    assert case.grid == org["S1C1G1"]
    assert case.longitude is not None
    assert GridReport.objects.get(case=case).located_by == GridReport.Located.GRID_CENTRE


def test_a_place_outside_the_grid_goes_where_it_is_with_a_warning(
    cast: Cast, org: dict[str, Any], login: Any, frozen: Any
) -> None:
    lon, lat = INSIDE_S2
    response = login(cast.gary).post(URL, form(longitude=lon, latitude=lat), follow=True)
    case = Case.objects.get(title="井盖缺失")
    assert case.grid == org["S2C1G1"]
    assert "西一社区第一网格" in response.content.decode()


def test_solved_on_the_spot_needs_what_was_done_and_keeps_the_typing(cast: Cast, login: Any, frozen: Any) -> None:
    response = login(cast.gary).post(URL, form(solved_on_spot="on"))
    assert response.status_code == 200  # refused, drawn again
    html = response.content.decode()
    assert 'data-testid="error-solution"' in html
    assert "井盖缺失" in html  # the title typed is still there
    assert not Case.objects.exists()


def test_a_refused_report_asks_for_the_photos_again(cast: Cast, login: Any, frozen: Any) -> None:
    client = login(cast.gary)
    response = client.post(URL, form(title="", photos=[jpeg()]))
    assert response.status_code == 200  # refused, drawn again
    html = response.content.decode()
    assert 'data-testid="error-title"' in html
    # A browser never refills a file input: the worker is told, in the words the H5 form uses.
    assert 'data-testid="files-again"' in html and "刚才选择的文件没有保留" in html
    assert not Case.objects.exists() and not Attachment.objects.exists()
    # Without photos chosen there is nothing to choose again.
    assert 'data-testid="files-again"' not in client.post(URL, form(title="")).content.decode()


def test_solved_on_the_spot_in_the_own_grid_is_handled_there_and_goes_to_review(
    cast: Cast, org: dict[str, Any], login: Any, frozen: Any
) -> None:
    lon, lat = INSIDE_G1
    login(cast.gary).post(
        URL, form(longitude=lon, latitude=lat, solved_on_spot="on", solution="已放置警示锥并联系物业补装井盖")
    )
    case = Case.objects.get(title="井盖缺失")
    # 即报即办: the grid worker took it as first receiver and replied; the district reviews the reply.
    assert case.status == Status.REVIEWING
    assert (case.unit, case.handler, case.reply) == (org["S1C1G1"], cast.gary, "已放置警示锥并联系物业补装井盖")
    assert list(case.events.order_by("seq").values_list("action", flat=True)) == ["submit", "handle_on_spot", "reply"]
    report = GridReport.objects.get(case=case)
    assert report.solved_on_spot and report.solution == "已放置警示锥并联系物业补装井盖"


def test_solved_on_the_spot_outside_the_own_grid_still_goes_to_the_dispatch_centre(
    cast: Cast, login: Any, frozen: Any
) -> None:
    lon, lat = INSIDE_S2
    login(cast.gary).post(
        URL, form(longitude=lon, latitude=lat, solved_on_spot="on", solution="已放置警示锥并联系物业补装井盖")
    )
    case = Case.objects.get(title="井盖缺失")
    assert case.status == Status.NEW  # outside their grid a grid worker cannot take the case
    assert "已放置警示锥并联系物业补装井盖" in case.text
    assert GridReport.objects.get(case=case).solved_on_spot


def test_a_bad_phone_number_is_refused_next_to_its_field(cast: Cast, login: Any, frozen: Any) -> None:
    response = login(cast.gary).post(URL, form(contact_name="王阿姨", contact_phone="12345"))
    assert response.status_code == 200  # refused, drawn again
    html = response.content.decode()
    assert 'data-testid="error-contact_phone"' in html
    assert 'value="王阿姨"' in html
    assert not Case.objects.exists()


def test_a_file_that_is_not_a_photo_leaves_nothing_behind(cast: Cast, login: Any, frozen: Any) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("photo.jpg", b"not a picture at all", content_type="image/jpeg")
    response = login(cast.gary).post(URL, form(photos=[fake]))
    assert response.status_code == 200  # refused, drawn again
    assert 'data-testid="error-photos"' in response.content.decode()
    assert not Case.objects.exists()
    assert not Attachment.objects.exists()


def test_only_grid_workers_report_here(cast: Cast, login: Any, client: Any, frozen: Any) -> None:
    assert client.get(URL).status_code == 302  # to the login page
    for name in ("alice", "sam", "dora", "sysadmin"):
        assert login(cast[name]).get(URL).status_code == 403, name
        assert login(cast[name]).post(URL, form()).status_code == 403, name
    client.force_login(cast.cindy, backend="suban.accounts.backends.CitizenSmsBackend")
    assert client.get(URL).status_code == 403
    assert not Case.objects.exists()


def test_going_back_after_sending_and_sending_again_files_no_second_case(cast: Cast, login: Any, frozen: Any) -> None:
    """The browser's Back restores the form as typed; sending it again within REPEAT_WINDOW_MINUTES gives back
    the first case with a note, stores no second set of photos and opens no second report."""
    lon, lat = INSIDE_G1
    gary = login(cast.gary)
    first = gary.post(URL, form(longitude=lon, latitude=lat, photos=[jpeg()]))
    assert first.status_code == 302
    case = Case.objects.get()
    frozen.advance(minutes=2)
    again = gary.post(URL, form(longitude=lon, latitude=lat, photos=[jpeg()], title=" 井盖缺失 "), follow=True)
    assert again.status_code == 200
    assert Case.objects.count() == 1
    assert GridReport.objects.count() == 1
    assert Attachment.objects.filter(case=case).count() == 1
    assert case.number in again.content.decode()
    # Different words are a new report.
    gary.post(URL, form(longitude=lon, latitude=lat, title="路灯不亮"))
    assert Case.objects.count() == 2
