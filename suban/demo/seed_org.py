"""Creating the demo organisation: units with their polygons, special grids, departments, places."""

from __future__ import annotations

from typing import Any

from shapely.geometry.base import BaseGeometry

from suban.demo import data
from suban.demo.departments import DEPARTMENTS, contact_mobile, department_code, leader_title, office_phone
from suban.demo.layout import Layout
from suban.demo.names import NameMaker
from suban.org.geometry import to_geojson
from suban.org.models import ContactKind, Place, Unit, UnitContact, UnitKind
from suban.org.services import unit_create

Units = dict[str, Unit]  # by name: every demo unit's name is unique


def _create(
    units: Units, code: str, name: str, kind: str, parent: Unit | None, geom: BaseGeometry | None = None, **fields: Any
) -> Unit:
    boundary = to_geojson(geom) if geom is not None else None
    unit = unit_create(by=None, code=code, name=name, kind=kind, parent=parent, boundary=boundary, **fields)
    units[name] = unit
    return unit


def seed_org(layout: Layout, names: NameMaker) -> Units:
    units: Units = {}
    district = _create(
        units,
        data.DISTRICT_CODE,
        data.DISTRICT_NAME,
        UnitKind.DISTRICT,
        None,
        geom=layout.district,
        aliases=data.DISTRICT_ALIASES,
        phone="0532-88990001",
    )
    _seed_tree(units, district, layout)
    _seed_special_grids(units, layout)
    _seed_departments(units, district, names)
    _seed_places(units)
    return units


def _seed_tree(units: Units, district: Unit, layout: Layout) -> None:
    for s, street in enumerate(data.STREETS):
        code = data.street_code(s)
        street_unit = _create(
            units,
            code,
            street.name,
            UnitKind.STREET,
            district,
            geom=layout.units[code],
            aliases=street.aliases,
            phone=street.phone,
            sort_order=s + 1,
        )
        for c, community in enumerate(street.communities):
            code = data.community_code(s, c)
            community_unit = _create(
                units,
                code,
                community.name,
                UnitKind.COMMUNITY,
                street_unit,
                geom=layout.units[code],
                aliases=community.aliases,
                phone=f"0532-88991{s + 1}{c + 1}0",
                sort_order=c + 1,
            )
            for g in range(data.GRIDS_PER_COMMUNITY):
                code = data.grid_code(s, c, g)
                _create(
                    units,
                    code,
                    data.grid_name(community.name, g),
                    UnitKind.GRID,
                    community_unit,
                    geom=layout.units[code],
                    sort_order=g + 1,
                )


def _seed_special_grids(units: Units, layout: Layout) -> None:
    count: dict[str, int] = {}
    for spec in data.SPECIAL_GRIDS:
        parent = units[spec.street if spec.under_street else spec.community]
        count[parent.code] = count.get(parent.code, 0) + 1
        _create(
            units,
            f"{parent.code}Z{count[parent.code]:02d}",
            spec.name,
            UnitKind.SPECIAL_GRID,
            parent,
            geom=layout.special[spec.name],
            special_kind=spec.kind,
            sort_order=100 + count[parent.code],
        )


def _seed_departments(units: Units, district: Unit, names: NameMaker) -> None:
    contacts: list[UnitContact] = []
    for d, spec in enumerate(DEPARTMENTS):
        unit = _create(
            units,
            department_code(d),
            spec.name,
            UnitKind.DEPARTMENT,
            district,
            aliases=spec.aliases,
            phone=office_phone(d, 0),
            sort_order=100 + d,
        )
        contacts += [
            UnitContact(
                unit=unit,
                kind=ContactKind.LEADER,
                name=names(),
                title=leader_title(spec.name),
                phone=office_phone(d, 1),
            ),
            UnitContact(
                unit=unit, kind=ContactKind.SECTION, name=spec.section, title="责任科室", phone=office_phone(d, 2)
            ),
            UnitContact(unit=unit, kind=ContactKind.PERSON, name=names(), title="联络员", phone=contact_mobile(d)),
        ]
    UnitContact.objects.bulk_create(contacts)


def _seed_places(units: Units) -> None:
    places: list[Place] = []
    for street in data.STREETS:
        for community in street.communities:
            for i, (name, kind) in enumerate(community.places):
                grid = units[data.grid_name(community.name, i % data.GRIDS_PER_COMMUNITY)]
                places.append(Place(name=name, kind=kind, unit=grid))
    Place.objects.bulk_create(places)
