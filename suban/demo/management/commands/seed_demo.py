"""python manage.py seed_demo [--reset]: load the demo district 崂山区（演示） and print its logins."""

from __future__ import annotations

import time
import unicodedata
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from suban.demo import data
from suban.demo import seed as demo
from suban.errors import DomainError


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def login_table() -> str:
    header = ("用户名", "角色", "单位", "密码")
    rows = [header, *((u, role, unit, data.PASSWORD) for u, role, unit in data.DEMO_LOGINS)]
    widths = [max(_width(row[i]) for row in rows) for i in range(len(header))]
    lines = ["  ".join(_pad(cell, w) for cell, w in zip(row, widths, strict=True)).rstrip() for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


class Command(BaseCommand):
    help = "Load the demo district 崂山区（演示） with its grids, departments and staff (password Suban@2026)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--reset", action="store_true", help="delete the demo district first, then load it again")
        parser.add_argument(
            "--cases",
            type=int,
            default=None,
            help="how many of the 150 real messages become cases (default: all; 0: none)",
        )

    def handle(self, *args: Any, reset: bool = False, cases: int | None = None, **options: Any) -> None:
        if cases is not None and cases < 0:
            raise CommandError("--cases must be 0 or more.")
        self.cases = cases
        started = time.monotonic()
        if demo.demo_exists() and not reset:
            self.stdout.write(f"{data.DISTRICT_NAME} is already loaded; --reset reloads it.")
            try:
                counts = demo.ensure_catalogue()
            except DomainError as exc:
                raise CommandError(str(exc)) from None
            self.stdout.write(f"Catalogue: {counts.matters} matters, {counts.responsibilities} responsibilities.")
            try:
                added = demo.ensure_cases(cases)
            except DomainError as exc:
                raise CommandError(str(exc)) from None
            if added:
                self.stdout.write(f"Added {added} cases from real messages.")
        else:
            try:
                with transaction.atomic():
                    self._load(reset)
            except (demo.DemoError, DomainError) as exc:
                raise CommandError(str(exc)) from None
            self.stdout.write(f"Done in {time.monotonic() - started:.1f} s.")
        self.stdout.write("\n" + login_table())

    def _load(self, with_reset: bool) -> None:
        if with_reset and demo.demo_exists():
            removed = demo.reset()
            self.stdout.write(
                f"Removed {removed.units} demo units, {removed.accounts} accounts and {removed.cases} cases"
                f" ({removed.responsibilities} responsibilities)."
            )
        counts = demo.seed(self.cases)
        self.stdout.write(
            self.style.SUCCESS(
                f"Loaded {data.DISTRICT_NAME}: {counts.units} units, {counts.accounts} accounts,"
                f" {counts.matters} matters, {counts.responsibilities} responsibilities,"
                f" {counts.cases} cases from real messages."
            )
        )
