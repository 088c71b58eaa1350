"""A column mapping: which of a source's columns is which of our fields, how its words become our values,
and how one row (a file row or a pushed JSON order) becomes a checked, typed order.

    {"columns": {"order_id": "工单编号", "title": ["Complaint Type", "Descriptor"], ...},
     "values": {"nature": {"投诉": "complaint"}, "unit": {"NYPD": "DEPT1"}},
     "options": {"timezone": "Asia/Shanghai", "datetime_formats": ["%Y/%m/%d %H:%M"], "dispatch": true,
                 "separators": {"address": ", "}, "assess": false, "coordinate_system": "gcj02"}}

A column given as a list joins the non-empty cells (" / " unless `separators` says otherwise). A value
map translates the source's text first; what is left is read as our value, its English or Chinese label.
Exports write the columns in the order of `column_order` (a list of headers), else in our fields' order.
`coordinate_system` ("wgs84", the default, "gcj02" or "bd09") is the system of the source's longitude and
latitude: read into WGS-84 (suban.org.coords), exported back into the source's system.
"""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import cached_property
from typing import Any

from django.db import models
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from suban import crypto
from suban.cases.models import Channel, Nature, Satisfaction, Urgency
from suban.catalogue.models import CaseType, Matter
from suban.errors import Invalid
from suban.org.coords import CoordinateSystem, checked_system, to_wgs84
from suban.org.models import Unit


@dataclass(frozen=True)
class Field:
    name: str
    kind: str  # text, datetime, float, int, bool, phone, choice, matter, unit, list
    label: Any
    required: bool = False
    history_only: bool = False
    max_length: int = 0
    choices: type[models.TextChoices] | None = None


FIELDS: tuple[Field, ...] = (
    Field("order_id", "text", gettext_lazy("Order id in the source"), required=True, max_length=64),
    Field("title", "text", gettext_lazy("Title"), required=True, max_length=200),
    Field("text", "text", gettext_lazy("Text")),
    Field("contact_name", "text", gettext_lazy("Contact name"), max_length=60),
    Field("phone", "phone", gettext_lazy("Phone")),
    Field("address", "text", gettext_lazy("Address"), max_length=300),
    Field("longitude", "float", gettext_lazy("Longitude")),
    Field("latitude", "float", gettext_lazy("Latitude")),
    Field("time", "datetime", gettext_lazy("Time in the source")),
    Field("matter", "matter", gettext_lazy("Matter")),
    Field("case_type", "choice", gettext_lazy("Type"), choices=CaseType),
    Field("nature", "choice", gettext_lazy("Nature"), choices=Nature),
    Field("urgency", "choice", gettext_lazy("Urgency"), choices=Urgency),
    Field("channel", "choice", gettext_lazy("Channel"), choices=Channel),
    Field("unit", "unit", gettext_lazy("Lead unit")),
    Field("anonymous", "bool", gettext_lazy("Anonymous")),
    Field("confidential", "bool", gettext_lazy("Confidential")),
    # Past systems: what happened to the case.
    Field("created_at", "datetime", gettext_lazy("Created"), history_only=True),
    Field("replied_at", "datetime", gettext_lazy("Replied"), history_only=True),
    Field("reply_days", "int", gettext_lazy("Days from creation to reply"), history_only=True),
    Field("closed_at", "datetime", gettext_lazy("Closed"), history_only=True),
    Field("reply", "text", gettext_lazy("Reply"), history_only=True),
    Field("satisfaction", "choice", gettext_lazy("Satisfaction"), history_only=True, choices=Satisfaction),
    # Further columns kept as they are, in the case's first event.
    Field("extra", "list", gettext_lazy("Further columns kept"), history_only=True),
)
BY_NAME: dict[str, Field] = {f.name: f for f in FIELDS}
ORDER_FIELDS = tuple(f for f in FIELDS if not f.history_only)
# What a hotline pulls back, exportable by a mapping too (the mapping used backwards).
RESULT_FIELDS = ("case_number", "status", "reply", "replied_at", "closed_at", "satisfaction")
EXPORT_ONLY = {"case_number", "status"}
# The result columns no file is read into: exports alone write them.
EXPORT_FIELDS: tuple[Field, ...] = (
    Field("case_number", "text", gettext_lazy("Case number")),
    Field("status", "text", gettext_lazy("Status")),
)
# The kinds of field whose source words a value map may translate into ours.
VALUE_MAP_KINDS = ("choice", "bool", "unit", "matter")


def required_columns(*, historical: bool) -> tuple[str, ...]:
    """The fields whose column every mapping names; a past system's also says when each case was created."""
    names = tuple(f.name for f in FIELDS if f.required)
    return (*names, "created_at") if historical else names


def column_fields(*, historical: bool) -> list[Field]:
    """The fields a mapping of a live or a past system may name a column for, in our order. A live source's
    mapping names the result columns too (history fields among them), for its exports."""
    fields = [f for f in FIELDS if historical or not f.history_only or f.name in RESULT_FIELDS]
    return fields + [f for f in EXPORT_FIELDS if f.name in EXPORT_ONLY]


def value_map_fields(*, historical: bool) -> list[Field]:
    """The fields whose source words a mapping of this kind may translate."""
    return [f for f in column_fields(historical=historical) if f.name in BY_NAME and f.kind in VALUE_MAP_KINDS]


_BOOL_WORDS = {
    "1": True,
    "true": True,
    "yes": True,
    "y": True,
    "是": True,
    "0": False,
    "false": False,
    "no": False,
    "n": False,
    "否": False,
}
_DEFAULT_FORMATS = (
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y/%m/%d %H:%M:%S",
    "%Y/%m/%d %H:%M",
    "%Y-%m-%d",
    "%Y/%m/%d",
    "%Y年%m月%d日 %H:%M",
    "%Y年%m月%d日",
)


def _key(text: str) -> str:
    return re.sub(r"\s+", "", text).lower()


def value_key(text: str) -> str:
    """The source's word as a value map compares it: without spaces, in lower case."""
    return _key(text)


def read_bool(text: str) -> bool | None:
    """Yes or no as a cell says it (1, true, 是, ...), or None when it says neither."""
    return _BOOL_WORDS.get(_key(text))


def choice_lookup(choices: type[models.TextChoices]) -> dict[str, str]:
    """Our values, their English and their Chinese labels -> the value."""
    lookup: dict[str, str] = {}
    for value, label in choices.choices:
        lookup[_key(value)] = value
        for language in ("en", "zh-hans"):
            with translation.override(language):
                lookup[_key(str(label))] = value
    return lookup


class RowProblem(Exception):
    def __init__(self, column: str, message: str) -> None:
        super().__init__(message)
        self.column, self.message = column, message


@dataclass
class Mapped:
    """One row read through a mapping: typed values by our field name, or the problems found."""

    row: int
    values: dict[str, Any] = field(default_factory=dict)
    problems: list[tuple[str, str]] = field(default_factory=list)  # (column as the source names it, message)
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems


class CheckedMapping:
    """A checked mapping, with the lookups it needs built once for a whole file."""

    def __init__(self, spec: Mapping[str, Any], *, historical: bool) -> None:
        self.historical = historical
        columns = spec.get("columns") or {}
        values = spec.get("values") or {}
        options = spec.get("options") or {}
        if not isinstance(columns, dict) or not isinstance(values, dict) or not isinstance(options, dict):
            raise Invalid(_("A mapping has the parts columns, values and options, each an object."))
        self.columns: dict[str, list[str]] = {}
        self.result_columns: dict[str, list[str]] = {}
        for name, headers in columns.items():
            found = BY_NAME.get(name)
            if name in RESULT_FIELDS and (found is None or found.history_only):
                # What the case became: written by exports, read from files of past systems only.
                self.result_columns[name] = self._headers(name, headers)
                if found is None or not historical:
                    continue
            if found is None:
                message = _("The mapping names an unknown field: %(name)s.") % {"name": name}
                raise Invalid(message, field=f"columns.{name}")
            if found.history_only and not historical and name not in RESULT_FIELDS:
                message = _("%(name)s is read from past systems only.") % {"name": name}
                raise Invalid(message, field=f"columns.{name}")
            self.columns[name] = self._headers(name, headers)
        for required in required_columns(historical=historical):
            if required not in self.columns:
                message = _("The mapping must name the column of: %(name)s.") % {"name": required}
                raise Invalid(message, field=f"columns.{required}")
        self.values: dict[str, dict[str, Any]] = {}
        for name, table in values.items():
            if name not in BY_NAME or not isinstance(table, dict):
                message = _("The value map of %(name)s must be an object of field values.") % {"name": name}
                raise Invalid(message, field=f"values.{name}")
            self.values[name] = {_key(str(k)): v for k, v in table.items()}
        self.options = options
        tz_name = str(options.get("timezone") or timezone.get_current_timezone_name())
        try:
            self.tz: dt.tzinfo = zoneinfo.ZoneInfo(tz_name)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            raise Invalid(_("Unknown time zone: %(tz)s.") % {"tz": tz_name}, field="options.timezone") from None
        self.formats = tuple(options.get("datetime_formats") or ()) + _DEFAULT_FORMATS
        self.separators: dict[str, str] = dict(options.get("separators") or {})
        self.dispatch = bool(options.get("dispatch", False))
        self.assess = bool(options.get("assess", False))
        self.defaults: dict[str, Any] = dict(options.get("defaults") or {})
        # The system of the source's longitude and latitude: read into WGS-84, exported back into it.
        self.coordinate_system = checked_system(
            str(options.get("coordinate_system") or CoordinateSystem.WGS84), field="options.coordinate_system"
        )

    @staticmethod
    def _headers(name: str, headers: Any) -> list[str]:
        if isinstance(headers, str) and headers.strip():
            return [headers.strip()]
        if isinstance(headers, list) and headers and all(isinstance(h, str) and h.strip() for h in headers):
            return [h.strip() for h in headers]
        message = _("The column of %(name)s must be a header or a list of headers.") % {"name": name}
        raise Invalid(message, field=f"columns.{name}")

    def missing_headers(self, headers: list[str]) -> list[str]:
        present = set(headers)
        return [h for hs in self.columns.values() for h in hs if h not in present]

    def headers(self) -> set[str]:
        return {h for hs in self.columns.values() for h in hs}

    def column_label(self, name: str) -> str:
        return " + ".join(self.columns.get(name, [])) or name

    # --- lookups, built once per file -------------------------------------------------------------------

    @cached_property
    def matters(self) -> dict[str, Matter]:
        found: dict[str, Matter] = {}
        for matter in Matter.objects.filter(is_active=True).order_by("-level"):
            for key in (matter.full_name, matter.name, matter.code):
                found[_key(key)] = matter
        return found

    @cached_property
    def units(self) -> dict[str, Unit]:
        found: dict[str, Unit] = {}
        for unit in Unit.objects.filter(is_active=True):
            found.setdefault(_key(unit.name), unit)
        for unit in Unit.objects.filter(is_active=True):
            found[_key(unit.code)] = unit
        return found

    @cached_property
    def choice_lookups(self) -> dict[str, dict[str, str]]:
        return {f.name: choice_lookup(f.choices) for f in FIELDS if f.choices is not None}

    # --- reading --------------------------------------------------------------------------------------------

    def read(self, row: int, cells: Mapping[str, str]) -> Mapped:
        """One file row (header -> text) through the mapping."""
        out = Mapped(row=row)
        for name, headers in self.columns.items():
            spec = BY_NAME[name]
            if spec.kind == "list":
                out.extra = {h: cells.get(h, "") for h in headers if cells.get(h, "")}
                continue
            parts = [cells.get(h, "").strip() for h in headers]
            raw = self.separators.get(name, " / ").join(p for p in parts if p)
            column = self.column_label(name)
            try:
                value = self.convert(spec, raw)
            except RowProblem as problem:
                out.problems.append((column, problem.message))
                continue
            if value is not None:
                out.values[name] = value
        for name, default in self.defaults.items():
            if name in BY_NAME and name not in out.values:
                try:
                    value = self.convert(BY_NAME[name], str(default))
                except RowProblem as problem:
                    out.problems.append((name, problem.message))
                    continue
                if value is not None:
                    out.values[name] = value
        self._check_row(out)
        return out

    def convert(self, spec: Field, raw: str) -> Any:
        raw = raw.strip()
        table = self.values.get(spec.name)
        if table is not None and _key(raw) in table:
            mapped = table[_key(raw)]
            if mapped is None or mapped == "":
                return None
            if spec.kind == "bool" and isinstance(mapped, bool):
                return mapped
            raw = str(mapped)
        if not raw:
            if spec.required:
                raise RowProblem("", _("This cell is empty."))
            return None
        if spec.kind == "text":
            if spec.max_length and spec.name == "order_id" and len(raw) > spec.max_length:
                raise RowProblem("", _("At most %(n)d characters.") % {"n": spec.max_length})
            return raw[: spec.max_length] if spec.max_length else raw
        if spec.kind == "datetime":
            return self.parse_time(raw)
        if spec.kind == "float":
            try:
                return float(Decimal(raw))
            except (InvalidOperation, ValueError):
                raise RowProblem("", _("%(value)s is not a number.") % {"value": raw}) from None
        if spec.kind == "int":
            try:
                return int(Decimal(raw))
            except (InvalidOperation, ValueError):
                raise RowProblem("", _("%(value)s is not a whole number.") % {"value": raw}) from None
        if spec.kind == "bool":
            if _key(raw) not in _BOOL_WORDS:
                raise RowProblem("", _("%(value)s is neither yes nor no.") % {"value": raw})
            return _BOOL_WORDS[_key(raw)]
        if spec.kind == "phone":
            try:
                return crypto.normalize_phone(raw)
            except Invalid as exc:
                raise RowProblem("", exc.message) from None
        if spec.kind == "choice":
            found = self.choice_lookups[spec.name].get(_key(raw))
            if found is None:
                raise RowProblem("", _("%(value)s is not a known value; add it to the value map.") % {"value": raw})
            return found
        if spec.kind == "matter":
            matter = self.matters.get(_key(raw))
            if matter is None:
                raise RowProblem("", _("No matter in the catalogue is called %(value)s.") % {"value": raw})
            return matter
        if spec.kind == "unit":
            unit = self.units.get(_key(raw))
            if unit is None:
                raise RowProblem("", _("No active unit has the code or name %(value)s.") % {"value": raw})
            return unit
        raise AssertionError(spec.kind)

    def parse_time(self, raw: str) -> dt.datetime:
        value: dt.datetime | None = None
        for fmt in self.formats:
            try:
                value = dt.datetime.strptime(raw, fmt)  # naive: made aware below, in the zone of the source
                break
            except ValueError:
                continue
        if value is None:
            try:
                value = dt.datetime.fromisoformat(raw)
            except ValueError:
                raise RowProblem("", _("%(value)s is not a date and time.") % {"value": raw}) from None
        if value.tzinfo is None:
            value = value.replace(tzinfo=self.tz)
        return value

    def _check_row(self, out: Mapped) -> None:
        values = out.values
        if ("longitude" in values) != ("latitude" in values) and not out.problems:
            out.problems.append((self.column_label("longitude"), _("Give both longitude and latitude, or neither.")))
        elif "longitude" in values and "latitude" in values:
            values["longitude"], values["latitude"] = to_wgs84(
                values["longitude"], values["latitude"], self.coordinate_system
            )
        if not self.historical:
            return
        created = values.get("created_at")
        if created is None:
            if not any(c == self.column_label("created_at") for c, _m in out.problems):
                out.problems.append((self.column_label("created_at"), _("This cell is empty.")))
            return
        if values.get("replied_at") is None and values.get("reply_days") is not None:
            if values["reply_days"] < 0:
                out.problems.append((self.column_label("reply_days"), _("The reply cannot come before the request.")))
                return
            values["replied_at"] = created + dt.timedelta(days=values["reply_days"])
        replied, closed = values.get("replied_at"), values.get("closed_at")
        if replied is not None and replied < created:
            out.problems.append((self.column_label("replied_at"), _("The reply cannot come before the request.")))
        if closed is not None and closed < created:
            out.problems.append((self.column_label("closed_at"), _("The case cannot close before it was created.")))


def parse(spec: Mapping[str, Any], *, historical: bool) -> CheckedMapping:
    return CheckedMapping(spec, historical=historical)
