"""12345 work orders in: pushed through the API, or a whole file imported in the console.

The orders go through the case engine's set-based intake (suban.cases.services.intake_many: the same checks,
reach, deadlines and notifications as case_intake, and with the mapping's `dispatch` accepted and dispatched;
the cases, events and notifications of a whole chunk written with one INSERT each). Each case gets an
ExchangeRecord, unique per source and order id, which makes a second delivery of the same order a no-op: the
source's order id is the case's source_ref as well, so intake_many finds it again by itself.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from suban.accounts.models import User
from suban.cases.models import Channel
from suban.cases.services.intake import MAX_ORDERS, OrdersInvalid, Taken, intake_many
from suban.errors import Invalid
from suban.exchange.access import require_exchange
from suban.exchange.batches import batch_refuse, forget_file, open_upload
from suban.exchange.checking import Checked, check_file, checked_mapping
from suban.exchange.history import import_history
from suban.exchange.mapping import CheckedMapping
from suban.exchange.models import BatchState, ColumnMapping, ExchangeRecord, ImportBatch, Source, SourceKind
from suban.intel.tasks import learn_from_outside_dispatches

# Our field -> case_intake's keyword.
SUBMIT_FIELDS = (
    "title",
    "text",
    "contact_name",
    "address",
    "longitude",
    "latitude",
    "matter",
    "case_type",
    "nature",
    "urgency",
    "anonymous",
    "confidential",
)


@dataclass
class OrderResult:
    order_id: str
    result: str  # created, duplicate, error
    case_number: str = ""
    message: str = ""
    field: str | None = None


class _Refused(Exception):
    """Raised inside the batch's transaction to roll all of it back."""


@dataclass
class Taking:
    """An order on its way in: its key (a row number or a position), its checked values, and its outcome."""

    key: int
    values: dict[str, Any]
    result: str = ""  # created, duplicate, error
    case_number: str = ""
    message: str = ""
    field: str | None = None


def _order(values: dict[str, Any], dispatch: bool) -> dict[str, Any]:
    order = {name: values[name] for name in SUBMIT_FIELDS if name in values}
    order.update(
        channel=values.get("channel") or Channel.HOTLINE,
        contact_phone=values.get("phone", ""),
        source_ref=values["order_id"],
        dispatch=dispatch,
    )
    if dispatch and values.get("unit") is not None:
        order["unit"] = values["unit"]
    return order


def take_in(
    *, source: Source, takings: list[Taking], by: User | None, dispatch: bool, batch: ImportBatch | None = None
) -> None:
    """Take the orders in with intake_many, MAX_ORDERS at a time, and record each case against the source.
    An order the engine refuses is marked an error and the others of its chunk are taken in without it
    (intake_many writes nothing of a chunk with a bad order). Run inside the caller's transaction when the
    whole must stand or fall together."""
    chosen: list[int] = []  # cases dispatched where the hotline named the unit or the matter
    for start in range(0, len(takings), MAX_ORDERS):
        pending = takings[start : start + MAX_ORDERS]
        while pending:
            try:
                with transaction.atomic():
                    taken = intake_many(by=by, orders=[_order(t.values, dispatch) for t in pending])
                    _record(source, batch, pending, taken)
                    if dispatch:
                        chosen += [
                            outcome.case.pk
                            for taking, outcome in zip(pending, taken, strict=True)
                            if outcome.created and (taking.values.get("unit") or taking.values.get("matter"))
                        ]
            except OrdersInvalid as exc:
                bad = {d["index"]: d for d in exc.details}
                for index, detail in bad.items():
                    pending[index].result, pending[index].message = "error", detail["message"]
                    pending[index].field = detail.get("field")
                pending = [t for i, t in enumerate(pending) if i not in bad]
                continue
            break
    if chosen:
        # The hotline's operator chose where these go: the model learns from it as from a dispatch here, in
        # the worker once the import has committed.
        transaction.on_commit(partial(learn_from_outside_dispatches, chosen, getattr(by, "pk", None)), robust=True)


def _record(source: Source, batch: ImportBatch | None, pending: list[Taking], taken: list[Taken]) -> None:
    linked = dict(
        ExchangeRecord.objects.filter(case__in=[t.case for t in taken if not t.created]).values_list(
            "case_id", "source_id"
        )
    )
    records: list[ExchangeRecord] = []
    for taking, outcome in zip(pending, taken, strict=True):
        case = outcome.case
        taking.case_number = case.number
        if outcome.created or (case.pk not in linked and case.pk not in {r.case_id for r in records}):
            # New, or the same order taken in through another door (the cases API with its source_ref).
            records.append(
                ExchangeRecord(
                    case=case,
                    source=source,
                    ref=taking.values["order_id"],
                    batch=batch,
                    source_time=taking.values.get("time"),
                )
            )
            taking.result = "created" if outcome.created else "duplicate"
        elif linked.get(case.pk, source.pk) == source.pk:
            taking.result = "duplicate"
        else:
            taking.result, taking.case_number = "error", ""
            taking.message = _("Another source's order has this order id.")
            taking.field = "order_id"
    ExchangeRecord.objects.bulk_create(records)


def push_orders(
    *, source: Source, plan: CheckedMapping, orders: list[dict[str, str]], by: User | None
) -> list[OrderResult]:
    """A hotline system's push: each order answered created (with the case number), duplicate (a second
    delivery: the number it got the first time) or error; a bad order does not hold up the others."""
    require_exchange(by, source)
    if source.kind != SourceKind.HOTLINE:
        raise Invalid(_("%(source)s is a past system: it takes no live orders.") % {"source": source.name})
    results: list[OrderResult] = []
    takings: list[Taking] = []
    for index, cells in enumerate(orders):
        mapped = plan.read(index, cells)
        ref = str(mapped.values.get("order_id") or cells.get(plan.columns["order_id"][0], ""))
        if not mapped.ok:
            column, message = mapped.problems[0]
            results.append(OrderResult(ref, "error", message=f"{column}: {message}", field=column))
            continue
        results.append(OrderResult(ref, ""))
        takings.append(Taking(index, mapped.values))
    known = dict(
        ExchangeRecord.objects.filter(source=source, ref__in=[t.values["order_id"] for t in takings]).values_list(
            "ref", "case__number"
        )
    )
    fresh = []
    for taking in takings:
        number = known.get(taking.values["order_id"])
        if number is not None:
            taking.result, taking.case_number = "duplicate", number
        else:
            fresh.append(taking)
    take_in(source=source, takings=fresh, by=by, dispatch=plan.dispatch)
    for taking in takings:
        results[taking.key] = OrderResult(
            results[taking.key].order_id, taking.result, taking.case_number, taking.message, taking.field
        )
    return results


# --- files --------------------------------------------------------------------------------------------------


def batch_check(
    *, source: Source, mapping: ColumnMapping, file_name: str, data: bytes, by: User | None, historical: bool = False
) -> ImportBatch:
    """Upload and check a file: every row mapped and checked, nothing imported yet. The file is kept with the
    batch, to be imported (batch_run) after the person has seen the preview and the report."""
    require_exchange(by, source)
    plan = checked_mapping(mapping, historical=historical)
    checked = check_file(source, plan, data)
    batch = ImportBatch(source=source, mapping=mapping, historical=historical, file_name=file_name[:200], by=by)
    _count(batch, checked)
    batch.file.save(file_name or "upload", ContentFile(data), save=False)
    batch.save()
    return batch


def _count(batch: ImportBatch, checked: Checked) -> None:
    batch.rows = len(checked.rows)
    batch.failed = len(checked.failed)
    batch.duplicates = sum(1 for r in checked.rows if r.ok and r.values["order_id"] in checked.duplicates)
    batch.errors = checked.errors()


def batch_run(*, batch: ImportBatch, by: User | None, valid_rows: bool = False) -> ImportBatch:
    """Import a checked file. All or nothing: a file with any error writes nothing, unless `valid_rows` (the
    person's explicit choice), when its valid rows are imported and the others listed. Orders already
    imported are skipped and counted. The rows are checked again: the database may have changed since."""
    require_exchange(by, batch.source)
    if batch.state == BatchState.DONE:
        raise Invalid(_("This file has been imported already."))
    if batch.mapping is None:
        raise Invalid(_("The mapping of this batch has been deleted."))
    if batch.historical:
        return import_history(batch=batch, by=by, valid_rows=valid_rows)
    plan = checked_mapping(batch.mapping, historical=False)
    with open_upload(batch) as handle:
        data = handle.read()
    checked = check_file(batch.source, plan, data)
    started = time.monotonic()
    _count(batch, checked)
    batch.valid_rows_only = valid_rows
    errors = batch.errors
    if checked.file_errors or (errors and not valid_rows):
        return batch_refuse(batch, started)
    takings = [Taking(row.row, row.values) for row in checked.valid]
    try:
        with transaction.atomic():
            take_in(source=batch.source, takings=takings, by=by, dispatch=plan.dispatch, batch=batch)
            for taking in takings:
                if taking.result == "error":
                    column = plan.column_label(taking.field) if taking.field in plan.columns else (taking.field or "")
                    errors.append({"row": taking.key, "column": column, "message": taking.message})
                    batch.failed += 1
                elif taking.result == "duplicate":
                    batch.duplicates += 1  # the same order came in through the API meanwhile
            if errors and not valid_rows:
                raise _Refused
    except _Refused:
        batch.errors = sorted(errors, key=lambda e: e["row"])
        return batch_refuse(batch, started)
    created = sum(1 for t in takings if t.result == "created")
    batch.errors = sorted(errors, key=lambda e: e["row"])
    batch.created = created
    batch.state = BatchState.DONE
    batch.seconds = time.monotonic() - started
    batch.finished_at = timezone.now()
    forget_file(batch)
    batch.save()
    return batch
