"""The named cast. One small district, two streets, so that "the other street" always exists.

District 演示区 (D)
  ├ street 东街道 (S1) ─ community 东一社区 (S1C1) ─ grids S1C1G1, S1C1G2; special grid S1C1X (school)
  │                    └ community 东二社区 (S1C2) ─ grid S1C2G1
  ├ street 西街道 (S2) ─ community 西一社区 (S2C1) ─ grid S2C1G1
  └ department 城管局 (DEPT1), department 住建局 (DEPT2)

Cast (password PASSWORD): dora dispatcher (district), sam supervisor, leo leader,
alice street handler of S1, bob street handler of S2, carol community handler of S1C1,
gary grid worker of S1C1G1, dan department handler of DEPT1, sysadmin / secadmin / auditor,
and citizens cindy (13800000001) and chen (13800000002).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, fields
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from suban.accounts.models import User
from suban.accounts.roles import AdminRole, Role
from suban.accounts.services import citizen_for_phone, staff_create
from suban.cases.models import Case
from suban.cases.services import case_accept, case_dispatch, case_submit
from suban.fingerprint_cache import invalidate_all
from suban.org.models import Unit, UnitKind
from suban.org.services import unit_create
from tests.timing import FrozenTime, at

PASSWORD = "Suban@2026"


def pytest_configure(config: Any) -> None:
    from django.conf import settings

    # Real hashing costs ~0.3 s a password; tests create dozens. Production keeps PBKDF2.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # seed_demo adds no year of history unless a test asks for it (--history N): it costs seconds.
    settings.DEMO_HISTORY_CASES = 0
    # Nor the mediation centre's year of disputes (--disputes N); its rooms and mediators are always there.
    settings.DEMO_DISPUTES = 0
    # A transactional test ends with `flush`, which empties the audit log too: allowed here whatever DEBUG says.
    settings.AUDIT_LOG_FLUSHABLE = True
    # Background tasks run in the test's own process (huey's immediate mode): a test that commits (a
    # transactional test) must not leave tasks in the developer's queue.
    from huey.contrib.djhuey import HUEY

    HUEY.immediate = True
    # No routing model unless a test brings its own (a developer's var/models/ must not change what tests see).
    settings.INTEL_MATTER_MODEL = str(settings.BASE_DIR / "tests" / "no-routing-model.joblib")


@pytest.fixture(autouse=True)
def fresh_process_caches() -> None:
    """Per-process copies of master data (grid index, unit directory, calendar, policies) start empty in each
    test: rows of an earlier test, rolled back, may look the same to a fingerprint under a frozen clock."""
    invalidate_all()


@pytest.fixture
def fresh_caches(settings: Any) -> None:
    """Master data cached per process is checked against the database on every read (no
    CACHE_CHECK_SECONDS grace), and the cache (the API's throttles, Open311's rate limits) starts empty.
    The parts whose tests create and change master data as they go use it for every test (autouse in their
    conftest)."""
    settings.CACHE_CHECK_SECONDS = 0
    invalidate_all()
    cache.clear()


@pytest.fixture
def frozen(monkeypatch: pytest.MonkeyPatch) -> FrozenTime:
    """Time stands still at Monday 9 February 2026, 09:00 Beijing time (deadlines fall in a year the calendar
    knows), until the test moves it."""
    clock = FrozenTime(at(2026, 2, 9, 9))
    monkeypatch.setattr(timezone, "now", clock)
    return clock


def square(lon: float, lat: float, size: float = 0.01) -> dict[str, Any]:
    return {
        "type": "Polygon",
        "coordinates": [[[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]],
    }


@pytest.fixture
def org(db: Any) -> dict[str, Unit]:
    u: dict[str, Unit] = {}

    def add(code: str, name: str, kind: str, parent: str | None, **kw: Any) -> None:
        u[code] = unit_create(by=None, code=code, name=name, kind=kind, parent=u[parent] if parent else None, **kw)

    add("D", "演示区", UnitKind.DISTRICT, None)
    add("S1", "东街道", UnitKind.STREET, "D")
    add("S2", "西街道", UnitKind.STREET, "D")
    add("S1C1", "东一社区", UnitKind.COMMUNITY, "S1")
    add("S1C2", "东二社区", UnitKind.COMMUNITY, "S1")
    add("S2C1", "西一社区", UnitKind.COMMUNITY, "S2")
    add("S1C1G1", "东一社区第一网格", UnitKind.GRID, "S1C1", boundary=square(120.00, 36.00))
    add("S1C1G2", "东一社区第二网格", UnitKind.GRID, "S1C1", boundary=square(120.01, 36.00))
    add("S1C2G1", "东二社区第一网格", UnitKind.GRID, "S1C2", boundary=square(120.02, 36.00))
    add("S2C1G1", "西一社区第一网格", UnitKind.GRID, "S2C1", boundary=square(119.98, 36.00))
    add(
        "S1C1X",
        "东一小学",
        UnitKind.SPECIAL_GRID,
        "S1C1",
        special_kind="school",
        boundary=square(120.002, 36.002, 0.002),
    )
    add("DEPT1", "城管局", UnitKind.DEPARTMENT, "D")
    add("DEPT2", "住建局", UnitKind.DEPARTMENT, "D")
    return u


@dataclass(frozen=True)
class Cast:
    """The named cast (see the module's docstring): `cast.dora`; `cast[name]` for a name held in a variable."""

    dora: User
    sam: User
    leo: User
    alice: User
    bob: User
    carol: User
    gary: User
    dan: User
    sysadmin: User
    secadmin: User
    auditor: User
    cindy: User
    chen: User

    def __getitem__(self, name: str) -> User:
        return getattr(self, name)  # type: ignore[no-any-return]

    def everyone(self) -> dict[str, User]:
        """Each person by name."""
        return {f.name: getattr(self, f.name) for f in fields(self)}


@pytest.fixture
def cast(org: dict[str, Unit]) -> Cast:
    people: dict[str, User] = {}

    def staff(username: str, unit: str | None, roles: list[str], admin_role: str = "") -> None:
        people[username] = staff_create(
            by=None,
            username=username,
            name=username.capitalize(),
            unit=org[unit] if unit else None,
            roles=roles,
            password=PASSWORD,
            admin_role=admin_role,
        )

    staff("dora", "D", [Role.DISPATCHER])
    staff("sam", "D", [Role.SUPERVISOR])
    staff("leo", "D", [Role.LEADER])
    staff("alice", "S1", [Role.STREET_HANDLER])
    staff("bob", "S2", [Role.STREET_HANDLER])
    staff("carol", "S1C1", [Role.COMMUNITY_HANDLER])
    staff("gary", "S1C1G1", [Role.GRID_WORKER])
    staff("dan", "DEPT1", [Role.DEPARTMENT_HANDLER])
    staff("sysadmin", "D", [], AdminRole.SYSTEM)
    staff("secadmin", "D", [], AdminRole.SECURITY)
    staff("auditor", "D", [], AdminRole.AUDIT)
    people["cindy"] = citizen_for_phone("13800000001")
    people["chen"] = citizen_for_phone("13800000002")
    return Cast(**people)


@pytest.fixture
def login(client: Client) -> Any:
    """login(user) -> a client with that user's session."""

    def _login(user: User) -> Client:
        client.force_login(user, backend="suban.accounts.backends.RoleBackend")
        return client

    return _login


@pytest.fixture
def submitted(cast: Cast, frozen: FrozenTime) -> Case:
    """Cindy reports a broken street light inside 东一社区第一网格 (S1C1G1), at the frozen time."""
    return case_submit(
        by=cast.cindy, title="路灯不亮", text="东一社区门口路灯坏了三天", longitude=120.008, latitude=36.008
    )


@pytest.fixture
def dispatched(cast: Cast, submitted: Case) -> Case:
    """Accepted, and dispatched by the list to the community 东一社区 (S1C1): carol handles it there."""
    case_accept(case=submitted, by=cast.dora)
    return case_dispatch(case=submitted, by=cast.dora)


def watch_for_leaks(secrets: Iterable[bytes], what: str) -> Iterator[list[bytes]]:
    """For a `seen` fixture: the bodies a test appends must hold none of `secrets` (`what` names the leak)."""
    bodies: list[bytes] = []
    yield bodies
    for body in bodies:
        for secret in secrets:
            assert secret not in body, f"{what}: {body[:300]!r}"
