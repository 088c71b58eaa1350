"""What every importer shares: check all rows first, then write them all in one transaction, or nothing."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, ClassVar, Generic, Protocol, TypeVar

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from suban.accounts.models import User
from suban.errors import DomainError
from suban.masterdata.columns import Column
from suban.masterdata.readers import Row, Table
from suban.masterdata.results import ImportResult, RowError


class HasRow(Protocol):
    row: int


Plan = TypeVar("Plan", bound=HasRow)

CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"


class RowFailed(Exception):
    """A row the checks let through failed while writing; the transaction around it rolls back."""

    def __init__(self, error: RowError) -> None:
        super().__init__(error.message)
        self.error = error


class _DryRunDone(Exception):
    def __init__(self, counts: dict[str, int]) -> None:
        super().__init__("dry run")
        self.counts = counts


class RowProblems:
    """The errors of one row, each at the column a person should look at."""

    def __init__(self, importer: Importer[Any], row: Row) -> None:
        self.importer = importer
        self.row = row
        self.errors: list[RowError] = []
        self.fields: set[str] = set()  # fields already found wrong, so that later checks need not repeat them

    def add(self, field: str | None, message: str) -> None:
        self.errors.append(RowError(self.row.number, self.importer.header(field), message))
        if field:
            self.fields.add(field)

    @contextmanager
    def catch(self, field: str | None = None) -> Iterator[None]:
        """Record a DomainError raised inside as this row's error, at the field given or else its own."""
        try:
            yield
        except DomainError as exc:
            self.add(field or self.importer.field_for(exc.field), exc.message)

    def add_validation_error(self, exc: ValidationError) -> None:
        for model_field, messages in exc.message_dict.items():
            self.add(self.importer.field_for(model_field), " ".join(messages))


class Importer(Generic[Plan]):
    """Subclasses say how to check a row into a plan (`plan_row`) and how to carry a plan out (`write_plan`)."""

    columns: ClassVar[tuple[Column, ...]]
    # Fields the services name in their errors, mapped to this file's columns.
    error_fields: ClassVar[dict[str, str]] = {}

    def __init__(self, table: Table, *, by: User | None) -> None:
        self.table = table
        self.by = by

    # --- columns

    def header(self, field: str | None) -> str:
        if not field:
            return ""
        if field in self.table.headers:
            return self.table.headers[field]
        return next((c.header for c in self.columns if c.field == field), field)

    def field_for(self, name: str | None) -> str | None:
        if not name:
            return None
        name = self.error_fields.get(name, name)
        return name if any(c.field == name for c in self.columns) else None

    # --- the two passes

    def prepare(self) -> None:
        """Load what the checks compare against, in a few queries for the whole file."""

    def plan_row(self, row: Row, problems: RowProblems) -> Plan | None:
        raise NotImplementedError

    def write_plan(self, plan: Plan) -> str:
        """Carry out one plan; return CREATED, UPDATED or UNCHANGED."""
        raise NotImplementedError

    def check(self) -> tuple[list[Plan], list[RowError]]:
        errors = list(self.table.errors)
        if errors:
            return [], errors
        self.prepare()
        plans: list[Plan] = []
        for row in self.table.rows:
            problems = RowProblems(self, row)
            plan = self.plan_row(row, problems)
            errors.extend(problems.errors)
            if plan is not None and not problems.errors:
                plans.append(plan)
        return plans, errors

    def write(self, plans: list[Plan]) -> dict[str, int]:
        counts = {CREATED: 0, UPDATED: 0, UNCHANGED: 0}
        for plan in plans:
            try:
                outcome = self.write_plan(plan)
            except DomainError as exc:
                column = self.header(self.field_for(exc.field))
                raise RowFailed(RowError(plan.row, column, exc.message)) from exc
            except ValidationError as exc:
                raise RowFailed(RowError(plan.row, "", " ".join(exc.messages))) from exc
            except IntegrityError as exc:
                message = _("This row clashes with data saved meanwhile; please import the file again.")
                raise RowFailed(RowError(plan.row, "", message)) from exc
            counts[outcome] += 1
        return counts

    def run(self, *, dry_run: bool = False) -> ImportResult:
        plans, errors = self.check()
        if errors:
            return ImportResult(errors=sorted(errors, key=lambda e: e.row), dry_run=dry_run)
        try:
            with transaction.atomic():
                counts = self.write(plans)
                if dry_run:
                    raise _DryRunDone(counts)
        except _DryRunDone as done:
            counts = done.counts
        except RowFailed as failed:
            return ImportResult(errors=[failed.error], dry_run=dry_run)
        return ImportResult(
            created=counts[CREATED], updated=counts[UPDATED], unchanged=counts[UNCHANGED], dry_run=dry_run
        )
