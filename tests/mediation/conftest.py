"""The mediation centre's cast, over tests/conftest.py's district: the one-stop centre at the district (mia, its
intake; max, the city-management bureau's desk), 东街道's room (rhea its head, ray), and 东一社区's village room
(vic, its head). Parties: cindy (13800000001) applies; a respondent with another phone."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from suban.accounts.models import User
from suban.accounts.roles import Role
from suban.accounts.services import staff_create
from suban.mediation.models import Desk, Dispute, Mediator, MediatorKind, Room, RoomLevel
from suban.mediation.services import DisputeIn, PartyIn, dispute_register
from suban.org.models import Unit
from tests.conftest import PASSWORD, Cast


@dataclass(frozen=True)
class Centre:
    centre: Room
    street: Room
    village: Room
    desk: Desk
    mia: User
    max: User
    rhea: User
    ray: User
    vic: User

    def mediator(self, name: str) -> Mediator:
        return Mediator.objects.get(user=getattr(self, name))


@pytest.fixture
def centre(org: dict[str, Unit], cast: Cast) -> Centre:
    rooms = {
        "centre": Room.objects.create(name="区矛盾纠纷调解中心", level=RoomLevel.CENTRE, unit=org["D"]),
        "street": Room.objects.create(name="东街道调解室", level=RoomLevel.TOWNSHIP, unit=org["S1"]),
        "village": Room.objects.create(name="东一社区调解室", level=RoomLevel.VILLAGE, unit=org["S1C1"]),
    }
    desk = Desk.objects.create(room=rooms["centre"], unit=org["DEPT1"], name="城管局窗口")
    people: dict[str, Any] = {}

    phones = iter(range(13700000001, 13700000100))

    def mediator(name: str, unit: str, room: str, **kw: Any) -> None:
        user = staff_create(
            by=None,
            username=name,
            name=name.capitalize(),
            unit=org[unit],
            roles=[Role.MEDIATOR],
            password=PASSWORD,
            phone=str(next(phones)),
        )
        Mediator.objects.create(user=user, room=rooms[room], **kw)
        people[name] = user

    mediator("mia", "D", "centre", head=True)
    mediator("max", "DEPT1", "centre", desk=desk, kind=MediatorKind.ADMINISTRATIVE)
    mediator("rhea", "S1", "street", head=True, specialities="neighbours,property")
    mediator("ray", "S1", "street")
    mediator("vic", "S1C1", "village", head=True)
    return Centre(centre=rooms["centre"], street=rooms["street"], village=rooms["village"], desk=desk, **people)


PARTIES = (
    PartyIn(
        side="applicant", name="张三", phone="13800000001", id_number="370202199001011234", address="东一社区1号楼"
    ),
    PartyIn(side="respondent", name="李四", phone="13900000009"),
)


def walk_in(centre: Centre, org: dict[str, Unit], *, by: str = "mia", **kw: Any) -> Dispute:
    data = {
        "category": "neighbours",
        "summary": "楼上漏水殃及楼下",
        "source": "walk_in",
        "unit": org["S1C1"],
        "parties": PARTIES,
        "facts": "楼上卫生间漏水，楼下天花板受损，双方就赔偿协商未果。",
        "amount": "3000",
        **kw,
    }
    return dispute_register(by=getattr(centre, by), data=DisputeIn(**data))
