"""What goes back to the source: the results of its orders (pulled by a hotline system through the API), and
exports in the source's own layout (the mapping used backwards)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from suban.accounts.models import User
from suban.cases.models import Case
from suban.cases.selectors import cases_visible_to
from suban.cases.visibility import contact_for, reply_released
from suban.errors import Invalid
from suban.exchange.access import require_exchange
from suban.exchange.mapping import BY_NAME, FIELDS, RESULT_FIELDS, CheckedMapping
from suban.exchange.models import Source
from suban.org.coords import from_wgs84
from suban.spreadsheet import csv_text

PULL_LIMIT = 500
EXPORT_CAP = 100_000


def source_cases(source: Source, by: User) -> QuerySet[Case]:
    """The cases that came from `source`, as far as `by` reaches."""
    require_exchange(by, source)
    return cases_visible_to(by, Case.objects.filter(exchange__source=source))


def in_utc(moment: datetime) -> datetime:
    """`moment` in UTC: PostgreSQL takes no offset beyond ±15:59 (a client's -22:07 failed the query), and a
    moment past the calendar's ends is refused."""
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    try:
        return moment.astimezone(UTC)
    except OverflowError:
        raise Invalid(_("Give a moment within the years 1 to 9999."), field="updated_after") from None


def results_since(
    *, source: Source, by: User, updated_after: datetime | None, after_number: str = "", limit: int = PULL_LIMIT
) -> list[Case]:
    """The source's cases changed after a moment, oldest change first; the caller pages on with the last one's
    (updated_at, number)."""
    qs = source_cases(source, by).select_related("exchange")
    if updated_after is not None:
        updated_after = in_utc(updated_after)
        later = Q(updated_at__gt=updated_after)
        if after_number:
            later |= Q(updated_at=updated_after, number__gt=after_number)
        qs = qs.filter(later)
    return list(qs.order_by("updated_at", "number")[: max(1, min(limit, PULL_LIMIT))])


def result_of(case: Case) -> dict[str, Any]:
    released = reply_released(case)
    return {
        "order_id": case.exchange.ref,
        "case_number": case.number,
        "status": case.status,
        "reply": case.reply if released else "",
        "replied_at": case.replied_at if released else None,
        "closed_at": case.closed_at,
        "satisfaction": case.satisfaction,
        # In full: Django's JSON encoder cuts times to milliseconds, and this one is the pull's cursor.
        "updated_at": case.updated_at.isoformat(),
    }


# --- exports ------------------------------------------------------------------------------------------------


class Layout:
    """The mapping backwards: each of its columns filled from the case, our values turned back into the
    source's words."""

    def __init__(self, plan: CheckedMapping) -> None:
        self.plan = plan
        columns = {n: hs for n, hs in plan.columns.items() if BY_NAME[n].kind != "list"}
        columns.update(plan.result_columns)
        # The columns in the order options.column_order gives (headers), else in our fields' order: a mapping
        # stored as jsonb (PostgreSQL) does not keep the order its keys were written in.
        given = [str(h) for h in plan.options.get("column_order") or []]
        ours = [f.name for f in FIELDS] + list(RESULT_FIELDS)

        def place(name: str) -> tuple[int, int]:
            first = columns[name][0]
            return (given.index(first) if first in given else len(given), ours.index(name))

        self.columns = {name: columns[name] for name in sorted(columns, key=place)}
        self.reverse: dict[str, dict[str, str]] = {}
        for name, table in plan.values.items():
            back: dict[str, str] = {}
            for theirs, ours in table.items():
                back.setdefault(str(ours), theirs)
            self.reverse[name] = back
        formats = plan.options.get("datetime_formats") or []
        self.time_format = str(formats[0]) if formats else "%Y-%m-%d %H:%M:%S"

    def headers(self) -> list[str]:
        return [h for hs in self.columns.values() for h in hs]

    def row(self, case: Case, viewer: User) -> list[str]:
        out: list[str] = []
        for name, headers in self.columns.items():
            value = self.value(case, name, viewer)
            if len(headers) > 1:
                parts = value.split(self.plan.separators.get(name, " / "), len(headers) - 1)
                out.extend(parts + [""] * (len(headers) - len(parts)))
            else:
                out.append(value)
        return out

    def value(self, case: Case, name: str, viewer: User) -> str:
        raw: Any
        if name == "order_id":
            raw = case.exchange.ref
        elif name == "case_number":
            raw = case.number
        elif name == "phone":
            return str(contact_for(case, viewer)["phone"])
        elif name == "contact_name":
            return str(contact_for(case, viewer)["name"])
        elif name == "matter":
            raw = case.matter.full_name if case.matter else ""
        elif name == "unit":
            raw = case.unit.code if case.unit else ""
        elif name == "time":
            raw = case.exchange.source_time
        elif name in ("longitude", "latitude"):  # in the source's own system
            if case.longitude is None or case.latitude is None:
                return ""
            point = from_wgs84(case.longitude, case.latitude, self.plan.coordinate_system)
            raw = point[0] if name == "longitude" else point[1]
        elif name in ("reply", "replied_at"):
            raw = getattr(case, name) if reply_released(case) else ""
        else:
            raw = getattr(case, name, "")
        if raw is None or raw == "":
            return ""
        if isinstance(raw, datetime):
            return raw.astimezone(self.plan.tz).strftime(self.time_format)
        if isinstance(raw, bool):
            raw = "1" if raw else "0"
        text = str(raw)
        back = self.reverse.get(name, {})
        if text in back:
            return back[text]
        if name == "unit" and case.unit is not None:
            return case.unit.name
        choices = BY_NAME[name].choices if name in BY_NAME else None
        if choices is not None and text in choices.values:
            return str(choices(text).label)
        return text


def export_rows(source: Source, plan: CheckedMapping, by: User) -> Iterator[list[str]]:
    layout = Layout(plan)
    yield layout.headers()
    qs = source_cases(source, by).select_related("exchange", "matter", "unit").prefetch_related("co_handlers")
    for case in qs.order_by("created_at", "id")[:EXPORT_CAP].iterator(chunk_size=2000):
        yield layout.row(case, by)


def export_csv(source: Source, plan: CheckedMapping, by: User) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    for row in export_rows(source, plan, by):
        writer.writerow([csv_text(v) for v in row])
    return out.getvalue().encode("utf-8-sig")


def export_xlsx(source: Source, plan: CheckedMapping, by: User) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet(source.name[:31])
    for row in export_rows(source, plan, by):
        cells = []
        for value in row:
            cell = WriteOnlyCell(sheet, value=value)
            cell.data_type = "s"  # text stays text: no formulas, no long ids turned into numbers
            cells.append(cell)
        sheet.append(cells)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def local(value: datetime | None) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""
