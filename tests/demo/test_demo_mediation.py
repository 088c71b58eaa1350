"""seed_demo's mediation centre: the one-stop centre with its desks, a room at every street and two villages,
mediators who log in, and a year of disputes at every stage taken through the mediation services.

One district is loaded for the whole story (36 cases, 40 disputes of messages: about 12 s, one test so that it
is loaded once); the second run, the older district that gets its centre later and the reset are looked at on
the same load. tests/demo/test_seed_demo.py resets and reloads a district with its centre (no disputes)."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO
from typing import Any

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.db.models import Count, Max
from django.test import RequestFactory
from django.utils import timezone

from suban.accounts.models import User
from suban.audit.verify import audit_verify
from suban.cases.models import Case, CaseEvent
from suban.demo import data
from suban.demo.seed import reset
from suban.demo.seed_mediation import DESKS, VILLAGES, clear_mediation, read_disputes
from suban.mediation.figures import figures
from suban.mediation.lifecycle import mediator_of
from suban.mediation.models import (
    Category,
    Desk,
    Dispute,
    DisputeEvent,
    DisputeStatus,
    Mediator,
    RiskReport,
    Room,
    RoomLevel,
    Session,
    Source,
)
from suban.notify.models import Outbox
from suban.org.models import Unit, UnitKind

DISPUTES = 40


def seed_demo(*args: str) -> str:
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def seeded(db: Any, settings: Any) -> str:
    settings.CACHE_CHECK_SECONDS = 0
    return seed_demo("--cases", "36", "--disputes", str(DISPUTES))  # cases 32-35 are in progress


def test_the_centre_its_rooms_its_mediators_and_a_year_of_disputes_and_reset(seeded: str) -> None:
    district = Unit.objects.get(code=data.DISTRICT_CODE)
    centre = Room.objects.get(level=RoomLevel.CENTRE)
    assert centre.unit == district and "一站式" in centre.name
    desks = Desk.objects.filter(room=centre).select_related("unit")
    assert desks.count() == len(DESKS)
    assert {d.unit.kind for d in desks} == {UnitKind.DEPARTMENT} and "区人民法院" in {d.unit.name for d in desks}
    streets = set(Unit.objects.filter(kind=UnitKind.STREET).values_list("pk", flat=True))
    township = Room.objects.filter(level=RoomLevel.TOWNSHIP)
    assert sorted(township.values_list("unit_id", flat=True)) == sorted(streets)
    villages = Room.objects.filter(level=RoomLevel.VILLAGE).select_related("unit")
    assert sorted(r.unit.name for r in villages) == sorted(VILLAGES)
    assert {r.unit.kind for r in villages} == {UnitKind.COMMUNITY}
    for room in Room.objects.all():
        assert room.mediators.filter(head=True).count() == 1, room
    assert Mediator.objects.filter(desk__isnull=False).count() == len(DESKS)
    codes = set(Category.values)
    for mediator in Mediator.objects.select_related("user"):
        assert set(mediator.speciality_list()) <= codes
        assert str(mediator) == mediator.user.name and mediator.user.name  # shown by name, not by user name

    # The named mediators log in with the demo password and are mediators where the login table says.
    request = RequestFactory().post("/login/")
    for account in data.MEDIATOR_ACCOUNTS:
        user = authenticate(request, username=account.username, password=data.PASSWORD)
        assert isinstance(user, User), account.username
        assert user.unit is not None and user.unit.name == account.unit and user.name == account.name
        mediator = mediator_of(user)
        assert mediator is not None, account.username
    tiaojie = Mediator.objects.get(user__username="tiaojie")
    assert tiaojie.room == centre and tiaojie.head
    assert Mediator.objects.get(user__username="tiaojie_desk").desk is not None
    assert Mediator.objects.get(user__username="tiaojie_village").room.level == RoomLevel.VILLAGE
    assert all(Mediator.objects.get(user__username=f"tiaojie{s}").head for s in range(1, 6))
    assert "tiaojie_village" in seeded and "调解中心主任" in seeded

    # A year of disputes at every stage, from every source, in every kind of room.
    disputes = Dispute.objects.all()
    assert "the mediation centre: 8 rooms" in seeded and f"{disputes.count()} disputes" in seeded
    assert DISPUTES <= disputes.count() <= DISPUTES + 30
    by_status = dict(disputes.values_list("status").annotate(n=Count("id")))
    assert set(by_status) == set(DisputeStatus.values), by_status
    closed_as = set(disputes.filter(status=DisputeStatus.CLOSED).values_list("ended_as", flat=True))
    assert closed_as <= {"fulfilled", "unfulfilled", "failed", "declined"} and "fulfilled" in closed_as
    assert set(disputes.values_list("source", flat=True)) == set(Source.values)
    assert set(disputes.exclude(room=None).values_list("room__level", flat=True)) >= {
        RoomLevel.TOWNSHIP,
        RoomLevel.VILLAGE,
    }
    assert disputes.exclude(alert="").exists()  # overdue, or due soon
    assert DisputeEvent.objects.filter(action__in=("warn", "overdue")).exists()
    titles = {s.title for s in read_disputes()}
    case_titles = set(Case.objects.values_list("title", flat=True))
    assert set(disputes.values_list("summary", flat=True)) <= titles | case_titles  # real messages only

    # Every step went through the services, each at its moment of the past year, in order.
    now = timezone.now()
    last = dict(DisputeEvent.objects.values_list("dispute_id").annotate(m=Max("seq")))
    for dispute in disputes:
        assert last[dispute.pk] == dispute.version, dispute.number
        events = list(dispute.events.order_by("seq"))
        assert events[-1].to_status == dispute.status and events[0].action == "register"
        moments = [e.at for e in events]
        assert moments == sorted(moments) and moments[-1] <= now, dispute.number
        assert events[0].at == dispute.registered_at
        assert dispute.number == f"TJ{timezone.localdate(dispute.registered_at):%Y%m%d}{dispute.number[-5:]}"
    oldest = disputes.order_by("registered_at").first()
    assert oldest is not None and now - timedelta(days=366) < oldest.registered_at < now - timedelta(days=150)
    assert not disputes.filter(status=DisputeStatus.AGREED, terms="").exists()
    assert Session.objects.exclude(said="").count() == Session.objects.count() > DISPUTES / 2
    assert not Session.objects.filter(held_at__gt=now).exists()
    reports = RiskReport.objects.all()
    assert reports.exists() and reports.exclude(dispute=None).exists() and reports.filter(dispute=None).exists()
    assert set(reports.values_list("reporter__staff_roles__role", flat=True)) == {"grid_worker"}

    # Cases: an in-progress one went to mediation by its own step; others have a dispute with their link.
    assert CaseEvent.objects.filter(action="to_mediation").exists()
    for dispute in disputes.exclude(case=None).select_related("case"):
        assert dispute.source == Source.CASE and dispute.case is not None
        assert dispute.registered_at > dispute.case.created_at
    escalated = Dispute.objects.filter(case__events__action="to_mediation").distinct()
    assert escalated.exists() and not escalated.filter(registered_by__isnull=False).exists()

    # The figures have something in them, by level, room, category and mediator (by name).
    today = timezone.localdate()
    year = figures(district.path, today - timedelta(days=366), today)
    total = year.total
    assert total.taken_in == disputes.count() and total.mediated > 0 and total.visited > 0
    assert total.success_rate is not None and 0 < total.success_rate < 1
    assert total.average_days is not None and total.average_days <= 60
    assert len(year.by_level) >= 2 and year.by_room and year.by_category and year.risks == reports.count()
    names = set(User.objects.filter(mediator__isnull=False).values_list("name", flat=True))
    assert year.by_mediator and {t.label for t in year.by_mediator} <= names

    # Nobody was told: the demo's past is not news.
    assert not Outbox.objects.exists()
    assert audit_verify().whole

    # Running again changes nothing.
    before = (Room.objects.count(), Mediator.objects.count(), disputes.count(), reports.count())
    assert "Added the mediation centre" not in seed_demo()
    assert (Room.objects.count(), Mediator.objects.count(), disputes.count(), reports.count()) == before

    # A district loaded before the centre existed gets it on the next run, with its logins.
    clear_mediation()
    User.objects.filter(staff_roles__role="mediator").delete()
    assert not Room.objects.exists() and not Dispute.objects.exists() and not RiskReport.objects.exists()
    output = seed_demo("--disputes", "5")
    assert "Added the mediation centre: 8 rooms, " in output and "risk reports" in output
    assert Mediator.objects.count() == before[1] and Dispute.objects.count() >= 5
    assert User.objects.get(username="tiaojie").check_password(data.PASSWORD)

    # Reset takes the centre with the district (its disputes first: they hold on to cases, units and accounts).
    removed = reset()
    assert removed.disputes >= 5 and not Dispute.objects.exists()
    assert not Room.objects.exists() and not Mediator.objects.exists() and not Desk.objects.exists()
    assert not RiskReport.objects.exists() and not User.objects.filter(username__startswith="tiaojie").exists()
    assert not Unit.objects.filter(code=data.DISTRICT_CODE).exists()
    assert audit_verify().whole
