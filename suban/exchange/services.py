"""The exchange's writes from its pages, each with its audit entry in one transaction: a source, a mapping,
an import run. (Checking a file writes only its batch, suban.exchange.orders.batch_check.)"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.http import HttpRequest

from suban.accounts.models import User
from suban.audit.services import audit_record
from suban.exchange.access import require_exchange
from suban.exchange.models import ColumnMapping, ImportBatch, Source
from suban.exchange.orders import batch_run


def source_create(*, by: User | None, name: str, label: str, kind: str, request: HttpRequest | None = None) -> Source:
    """A new source of work orders (a hotline, a past system). The form has checked the name is free."""
    require_exchange(by)
    with transaction.atomic():
        source = Source.objects.create(name=name, label=label, kind=kind)
        audit_record(action="exchange.source_create", actor=by, target=source, request=request)
    return source


def mapping_save(
    *,
    by: User | None,
    source: Source,
    name: str,
    spec: dict[str, Any],
    mapping: ColumnMapping | None = None,
    replace: bool = False,
    request: HttpRequest | None = None,
) -> ColumnMapping:
    """Save a mapping of `source` from its checked spec (columns, values, options): `mapping` itself when
    editing one; else a new one named `name`, or with `replace` the one of that name, overwritten. A name
    another mapping of the source has raises IntegrityError (the caller says so next to the name)."""
    require_exchange(by, source)
    values = {
        "columns": spec.get("columns", {}),
        "values": spec.get("values", {}),
        "options": spec.get("options", {}),
    }
    with transaction.atomic():
        if mapping is not None:
            mapping.name = name
            for field, value in values.items():
                setattr(mapping, field, value)
            mapping.save()
        elif replace:
            mapping, _new = ColumnMapping.objects.update_or_create(source=source, name=name, defaults=values)
        else:
            mapping = ColumnMapping.objects.create(source=source, name=name, **values)
        audit_record(action="exchange.mapping_save", actor=by, target=mapping, request=request)
    return mapping


def batch_import(
    *, batch: ImportBatch, by: User | None, valid_rows: bool = False, request: HttpRequest | None = None
) -> ImportBatch:
    """Run a checked batch (suban.exchange.orders.batch_run) and record it, done or refused, in one
    transaction with what it wrote."""
    with transaction.atomic():
        batch = batch_run(batch=batch, by=by, valid_rows=valid_rows)
        audit_record(
            action="exchange.import",
            actor=by,
            target=batch,
            detail={"created": batch.created, "duplicates": batch.duplicates, "failed": batch.failed},
            request=request,
        )
    return batch
