"""The State Council's holiday notice, pasted by an admin, read into the working-day calendar."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import chinese_calendar
import pytest

from suban.errors import Invalid
from suban.workdays.calendar import forget_calendar, work_calendar
from suban.workdays.models import CalendarDay, CalendarYear
from suban.workdays.notice import enter_notice, read_notice

# The notices as published (国办发明电〔2023〕7号, 〔2024〕12号, 〔2025〕7号), their sections verbatim.
NOTICE_2024 = """国务院办公厅关于2024年部分节假日安排的通知
一、元旦：1月1日放假，与周末连休。
二、春节：2月10日至17日放假调休，共8天。2月4日（星期日）、2月18日（星期日）上班。鼓励各单位结合带薪年休假等制度落实，安排职工在除夕（2月9日）休息。
三、清明节：4月4日至6日放假调休，共3天。4月7日（星期日）上班。
四、劳动节：5月1日至5日放假调休，共5天。4月28日（星期日）、5月11日（星期六）上班。
五、端午节：6月10日放假，与周末连休。
六、中秋节：9月15日至17日放假调休，共3天。9月14日（星期六）上班。
七、国庆节：10月1日至7日放假调休，共7天。9月29日（星期日）、10月12日（星期六）上班。
节假日期间，各地区、各部门要妥善安排好值班和安全、保卫、疫情防控等工作。"""

NOTICE_2025 = """一、元旦：1月1日（周三）放假1天，不调休。
二、春节：1月28日（农历除夕、周二）至2月4日（农历正月初七、周二）放假调休，共8天。1月26日（周日）、2月8日（周六）上班。
三、清明节：4月4日（周五）至6日（周日）放假，共3天。
四、劳动节：5月1日（周四）至5日（周一）放假调休，共5天。4月27日（周日）上班。
五、端午节：5月31日（周六）至6月2日（周一）放假，共3天。
六、国庆节、中秋节：10月1日（周三）至8日（周三）放假调休，共8天。9月28日（周日）、10月11日（周六）上班。"""

NOTICE_2026 = """国务院办公厅关于2026年部分节假日安排的通知
一、元旦：1月1日（周四）至3日（周六）放假调休，共3天。1月4日（周日）上班。
二、春节：2月15日（农历腊月二十八、周日）至23日（农历正月初七、周一）放假调休，共9天。2月14日（周六）、2月28日（周六）上班。
三、清明节：4月4日（周六）至6日（周一）放假，共3天。
四、劳动节：5月1日（周五）至5日（周二）放假调休，共5天。5月9日（周六）上班。
五、端午节：6月19日（周五）至21日（周日）放假，共3天。
六、中秋节：9月25日（周五）至27日（周日）放假，共3天。
七、国庆节：10月1日（周四）至7日（周三）放假调休，共7天。9月20日（周日）、10月10日（周六）上班。"""


def _year(year: int) -> list[date]:
    first = date(year, 1, 1)
    return [first + timedelta(days=n) for n in range((date(year + 1, 1, 1) - first).days)]


@pytest.mark.parametrize(("year", "text"), [(2024, NOTICE_2024), (2025, NOTICE_2025), (2026, NOTICE_2026)])
def test_each_real_notice_gives_the_working_days_chinesecalendar_has(year: int, text: str) -> None:
    notice = read_notice(text, year)
    assert notice.errors == []
    days = notice.days
    for day in _year(year):
        workday = days.get(day, day.weekday() < 5)
        assert workday == chinese_calendar.is_workday(day), day


def test_what_it_reads_and_what_it_leaves() -> None:
    notice = read_notice(NOTICE_2024)  # the year from the title
    assert notice.year == 2024
    assert notice.days_off[date(2024, 2, 10)] == "春节" and notice.days_off[date(2024, 2, 17)] == "春节"
    assert notice.worked == {
        date(2024, 2, 4): "春节",
        date(2024, 2, 18): "春节",
        date(2024, 4, 7): "清明节",
        date(2024, 4, 28): "劳动节",
        date(2024, 5, 11): "劳动节",
        date(2024, 9, 14): "中秋节",
        date(2024, 9, 29): "国庆节",
        date(2024, 10, 12): "国庆节",
    }
    assert date(2024, 2, 9) not in notice.days_off  # 除夕 is only "encouraged": reported, not read
    assert len(notice.unread) == 1 and "除夕（2月9日）" in notice.unread[0]
    assert read_notice(NOTICE_2025, 2025).days_off[date(2025, 10, 6)] == "国庆节、中秋节"


def test_full_width_digits_and_brackets_are_read() -> None:
    notice = read_notice("五、端午节：６月１９日（周五）至２１日（周日）放假，共３天。", 2026)
    assert notice.errors == [] and sorted(notice.days_off) == [date(2026, 6, 19), date(2026, 6, 20), date(2026, 6, 21)]


@pytest.mark.parametrize(
    ("text", "year", "says"),
    [
        (NOTICE_2026, 2027, "2026"),  # the title says another year
        ("二、春节：2月15日（周日）至23日（周一）放假调休，共9天。", None, "哪一年"),  # no year anywhere
    ],
)
def test_a_notice_of_another_or_no_year_is_refused(text: str, year: int | None, says: str) -> None:
    with pytest.raises(Invalid) as refused:
        read_notice(text, year)
    assert says in str(refused.value)


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("二、春节：2月15日（周一）至23日（周一）放假调休，共9天。", "周日"),  # a typo, or the wrong year
        ("二、春节：2月15日（周日）至23日（周一）放假调休，共8天。", "9"),  # 15th to 23rd is 9 days
        ("四、劳动节：5月1日（周五）至5日（周二）放假调休，共5天。5月8日（周五）上班。", "2026-05-08"),
        ("二、春节：2月30日至3月2日放假。", "2月30日"),
        ("二、春节：15日至23日放假。", "15日"),
        ("七、国庆节：10月7日至1日放假。", "2026-10-01"),
        ("国庆节放假七天，具体另行通知。", "未识别到假日"),  # nothing numbered: nothing read
    ],
)
def test_a_wrong_notice_says_where(text: str, says: str) -> None:
    notice = read_notice(text, 2026)
    assert notice.errors and says in " ".join(notice.errors)


@pytest.mark.django_db
def test_entering_a_notice_makes_the_year_known_and_replaces_its_rows(settings: Any) -> None:
    settings.CACHE_CHECK_SECONDS = 0
    forget_calendar()
    # Made up for the test (the weekdays are 2027's; the days off are not the real notice's).
    notice = read_notice(
        "一、元旦：1月1日（周五）至3日（周日）放假，共3天。\n"
        "二、春节：2月5日（农历除夕、周五）至2月13日（周六）放假调休，共9天。2月20日（周六）上班。",
        2027,
    )
    assert notice.errors == []
    CalendarDay.objects.create(date=date(2027, 3, 3), is_workday=False, name="typed in by hand")
    CalendarDay.objects.create(date=date(2026, 12, 31), is_workday=False, name="another year's")
    removed, written = enter_notice(notice, source="国务院办公厅关于2027年部分节假日安排的通知")
    assert (removed, written) == (1, len(notice.days_off) + len(notice.worked))
    assert CalendarDay.objects.filter(date=date(2026, 12, 31)).exists()
    assert not CalendarDay.objects.filter(date=date(2027, 3, 3)).exists()
    year = CalendarYear.objects.get(year=2027)
    assert year.published and year.note.startswith("国务院办公厅")
    calendar = work_calendar()
    assert calendar.knows_year(2027)
    assert not calendar.is_workday(date(2027, 2, 8)) and calendar.is_workday(date(2027, 2, 20))
    assert calendar.is_workday(date(2027, 2, 15)) and not calendar.is_workday(date(2027, 2, 21))
    assert calendar.is_workday(date(2027, 3, 3))  # the hand-typed row is gone with the rest of the year
    assert CalendarDay.objects.get(date=date(2027, 2, 20)).name == "春节（调休上班）"


@pytest.mark.django_db
def test_a_notice_with_errors_enters_nothing() -> None:
    notice = read_notice("二、春节：2月15日（周一）至23日（周一）放假调休，共9天。", 2027)
    with pytest.raises(Invalid):
        enter_notice(notice)
    assert not CalendarDay.objects.exists() and not CalendarYear.objects.exists()


NOTICE_2027_MADE_UP = (  # not the real notice: the weekdays are 2027's, the days off invented for the test
    "国务院办公厅关于2027年部分节假日安排的通知\n"
    "一、元旦：1月1日（周五）至3日（周日）放假，共3天。\n"
    "二、春节：2月5日（农历除夕、周五）至2月13日（周六）放假调休，共9天。2月20日（周六）上班。"
)


@pytest.fixture
def system_admin() -> Any:
    from suban.accounts.roles import AdminRole
    from suban.accounts.services import staff_create
    from tests.conftest import PASSWORD

    return staff_create(
        by=None, username="sys", name="系统管理员", unit=None, admin_role=AdminRole.SYSTEM, password=PASSWORD
    )


def _admin_client(user: Any) -> Any:
    from django.test import Client

    client = Client()
    client.force_login(user, backend="suban.accounts.backends.RoleBackend")
    return client


@pytest.mark.django_db
def test_the_admin_reads_shows_and_enters_a_notice(system_admin: Any, settings: Any) -> None:
    from suban.audit.models import AuditEntry

    settings.CACHE_CHECK_SECONDS = 0
    forget_calendar()
    client = _admin_client(system_admin)
    listing = client.get("/admin/workdays/calendaryear/").content.decode()
    assert "/admin/workdays/calendaryear/notice/" in listing
    page = client.get("/admin/workdays/calendaryear/notice/")
    assert page.status_code == 200 and 'name="text"' in page.content.decode()
    CalendarDay.objects.create(date=date(2027, 2, 8), is_workday=True, name="typed in by hand")

    read = client.post(
        "/admin/workdays/calendaryear/notice/", {"year": 2027, "text": NOTICE_2027_MADE_UP, "source": ""}
    )
    body = read.content.decode()
    assert 'data-testid="notice-summary"' in body and 'data-testid="notice-enter"' in body
    assert body.count('<td class="off"') == 12 and body.count('<td class="worked"') == 1
    assert 'data-testid="notice-replaced"' in body and "typed in by hand" in body
    assert not CalendarYear.objects.exists()  # reading saves nothing
    digest = read.context["form"].data["previewed"]

    # Changed after it was read: shown again, not entered.
    changed = NOTICE_2027_MADE_UP.replace("2月20日（周六）上班。", "")
    again = client.post(
        "/admin/workdays/calendaryear/notice/",
        {"year": 2027, "text": changed, "source": "", "previewed": digest, "enter": "1"},
    )
    assert again.status_code == 200 and not CalendarYear.objects.exists()

    done = client.post(
        "/admin/workdays/calendaryear/notice/",
        {"year": 2027, "text": NOTICE_2027_MADE_UP, "source": "", "previewed": digest, "enter": "1"},
    )
    assert done.status_code == 302
    year = CalendarYear.objects.get(year=2027)
    assert year.published and year.note == "国务院办公厅关于2027年部分节假日安排的通知"
    assert CalendarDay.objects.filter(date__year=2027).count() == 13
    assert not work_calendar().is_workday(date(2027, 2, 8))  # the notice, not the hand-typed row
    entry = AuditEntry.objects.get(action="calendar.notice")
    assert entry.actor == system_admin and entry.detail["days_off"] == 12 and entry.detail["rows_replaced"] == 1


@pytest.mark.django_db
def test_a_wrong_notice_is_shown_with_its_errors_and_cannot_be_entered(system_admin: Any) -> None:
    client = _admin_client(system_admin)
    wrong = NOTICE_2027_MADE_UP.replace("1月1日（周五）", "1月1日（周四）")
    body = client.post(
        "/admin/workdays/calendaryear/notice/", {"year": 2027, "text": wrong, "source": ""}
    ).content.decode()
    assert 'data-testid="notice-errors"' in body and "周五" in body and 'data-testid="notice-enter"' not in body
    from suban.workdays.admin import _digest

    client.post(
        "/admin/workdays/calendaryear/notice/",
        {"year": 2027, "text": wrong, "source": "", "previewed": _digest(2027, wrong), "enter": "1"},
    )
    assert not CalendarYear.objects.exists() and not CalendarDay.objects.exists()
    other_year = client.post("/admin/workdays/calendaryear/notice/", {"year": 2028, "text": NOTICE_2027_MADE_UP})
    assert "2027" in other_year.content.decode() and not CalendarYear.objects.exists()


@pytest.mark.django_db
def test_only_who_may_change_the_calendar_enters_a_notice() -> None:
    from suban.accounts.roles import AdminRole
    from suban.accounts.services import staff_create
    from tests.conftest import PASSWORD

    for role in (AdminRole.AUDIT, AdminRole.SECURITY):
        user = staff_create(by=None, username=f"a-{role}", name="x", unit=None, admin_role=role, password=PASSWORD)
        client = _admin_client(user)
        assert client.get("/admin/workdays/calendaryear/notice/").status_code == 403
        posted = client.post(
            "/admin/workdays/calendaryear/notice/", {"year": 2027, "text": NOTICE_2027_MADE_UP, "enter": "1"}
        )
        assert posted.status_code == 403
    assert not CalendarYear.objects.exists()
