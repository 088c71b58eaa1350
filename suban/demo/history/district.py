"""The demo district as the history finds it: its people (the cast), places inside its grids, and where a
case goes (the Router)."""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass

from shapely.geometry import Point, shape
from shapely.prepared import prep

from suban.accounts.models import User
from suban.accounts.roles import HANDLER_ROLES, Role
from suban.cases.models import Case
from suban.cases.routing import KIND_OF_LEVEL, responsibility_for, start_level
from suban.catalogue.models import Level
from suban.demo.seed_catalogue import DEMO_PATH
from suban.org.directory import directory
from suban.org.models import Unit, UnitKind


@dataclass
class Cast:
    dispatcher: User
    supervisor: User
    handlers: dict[int, User]  # unit pk → a handler of it
    grid_workers: dict[int, list[User]]  # grid pk → its grid workers
    citizens: list[User]


def points_by_grid(rng: random.Random, grids: list[Unit], per_grid: int = 24) -> dict[int, list[tuple[float, float]]]:
    """A few points inside each grid's polygon, for the cases placed there."""
    found: dict[int, list[tuple[float, float]]] = {}
    for grid in grids:
        polygon = shape(grid.boundary)
        inside = prep(polygon)
        minx, miny, maxx, maxy = polygon.bounds
        points: list[tuple[float, float]] = []
        for _try in range(per_grid * 20):
            p = Point(rng.uniform(minx, maxx), rng.uniform(miny, maxy))
            if inside.contains(p):
                points.append((round(p.x, 6), round(p.y, 6)))
                if len(points) == per_grid:
                    break
        if not points:
            p = polygon.representative_point()
            points.append((p.x, p.y))
        found[grid.pk] = points
    return found


def find_cast(rng: random.Random) -> Cast:
    from suban.accounts.services import citizen_for_phone

    handlers: dict[int, User] = {}
    staff = (
        User.objects.filter(is_active=True, unit__path__startswith=DEMO_PATH, staff_roles__role__in=HANDLER_ROLES)
        .exclude(staff_roles__role__in=[Role.GRID_WORKER, Role.SPECIALIST])
        .select_related("unit")
        .order_by("pk")
        .distinct()
    )
    for user in staff:
        if user.unit_id is not None:
            handlers.setdefault(user.unit_id, user)
    workers: dict[int, list[User]] = defaultdict(list)
    for user in (
        User.objects.filter(is_active=True, unit__path__startswith=DEMO_PATH, staff_roles__role=Role.GRID_WORKER)
        .select_related("unit")
        .order_by("pk")
        .distinct()
    ):
        if user.unit_id is not None:
            workers[user.unit_id].append(user)
    citizens = [citizen_for_phone(f"1390001{i:04d}") for i in range(40)]
    return Cast(
        dispatcher=User.objects.select_related("unit").get(username="dispatcher"),
        supervisor=User.objects.select_related("unit").get(username="supervisor"),
        handlers=handlers,
        grid_workers=dict(workers),
        citizens=citizens,
    )


class Router:
    """suban.cases.routing.route with the responsibility list read once per matter (route() reads it for
    every case): the lead unit by the list, or the street of the place when the list has nothing."""

    def __init__(self) -> None:
        self.units = directory()
        self.memo: dict[tuple[int | None, str], tuple[Unit | None, str]] = {}

    def __call__(self, case: Case) -> tuple[Unit, bool]:
        assert case.grid is not None
        key = (case.matter_id, case.case_type)
        if key not in self.memo:
            responsibility = responsibility_for(case.matter)
            if (
                responsibility is not None
                and responsibility.department is not None
                and responsibility.start_level in ("", Level.DEPARTMENT)
            ):
                self.memo[key] = (responsibility.department, "")
            else:
                self.memo[key] = (None, start_level(case, responsibility))
        department, level = self.memo[key]
        if department is not None:
            return department, True
        if level == Level.GRID:
            return case.grid, True
        ladder: list[str] = [Level.COMMUNITY, Level.STREET, Level.DISTRICT]
        if level in ladder:
            for rung in ladder[ladder.index(level) :]:
                found = self.units.ancestor_of_kind(case.grid, KIND_OF_LEVEL[rung])
                if found is not None and found.kind != UnitKind.DISTRICT:
                    return found, True
        street = self.units.ancestor_of_kind(case.grid, UnitKind.STREET)
        return (street or case.grid), False
