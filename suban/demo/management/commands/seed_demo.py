"""python manage.py seed_demo [--reset]: load the demo district 崂山区（演示） and print its logins."""

from __future__ import annotations

import time
import unicodedata
from typing import Any

from django.conf import settings
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
        parser.add_argument(
            "--no-model",
            action="store_true",
            help="do not train the demo's routing model nor compute the hotspots (default: settings.DEMO_MODEL)",
        )
        parser.add_argument(
            "--history",
            type=int,
            default=None,
            help="how many backdated cases of the past year to add (default: settings.DEMO_HISTORY_CASES; 0: none)",
        )
        parser.add_argument(
            "--disputes",
            type=int,
            default=None,
            help="how many disputes of the past year the mediation centre holds, besides those of the cases"
            " (default: settings.DEMO_DISPUTES; 0: none)",
        )

    def handle(
        self,
        *args: Any,
        reset: bool = False,
        cases: int | None = None,
        history: int | None = None,
        disputes: int | None = None,
        **options: Any,
    ) -> None:
        if cases is not None and cases < 0:
            raise CommandError("--cases must be 0 or more.")
        if history is not None and history < 0:
            raise CommandError("--history must be 0 or more.")
        if disputes is not None and disputes < 0:
            raise CommandError("--disputes must be 0 or more.")
        self.cases = cases
        self.history = settings.DEMO_HISTORY_CASES if history is None else history
        self.disputes = settings.DEMO_DISPUTES if disputes is None else disputes
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
            articles = demo.ensure_knowledge()
            if articles:
                self.stdout.write(f"Added the knowledge base: {articles} published articles.")
            try:
                centre = demo.ensure_mediation(self.disputes)
            except DomainError as exc:
                raise CommandError(str(exc)) from None
            if centre is not None:
                self.stdout.write(
                    f"Added the mediation centre: {centre.rooms} rooms, {centre.mediators} mediators,"
                    f" {centre.disputes} disputes, {centre.risk_reports} risk reports."
                )
        else:
            try:
                with transaction.atomic():
                    self._load(reset)
            except (demo.DemoError, DomainError) as exc:
                raise CommandError(str(exc)) from None
            self.stdout.write(f"Done in {time.monotonic() - started:.1f} s.")
        if settings.DEMO_MODEL and not options.get("no_model"):
            self._intel()
        self.stdout.write("\n" + login_table())

    def _intel(self) -> None:
        """The demo's routing model and today's hotspots, outside the loading transaction (files, a worker's
        job done at once)."""
        from suban.demo.seed_model import train_demo_model
        from suban.intel.daily import compute_all

        started = time.monotonic()
        path = train_demo_model()
        if path is not None:
            self.stdout.write(f"Trained the demo's routing model {path} in {time.monotonic() - started:.1f} s.")
        runs = compute_all()
        self.stdout.write("Hotspots: " + ", ".join(f"{r.district.name} {r.hotspots}" for r in runs) + ".")

    def _load(self, with_reset: bool) -> None:
        if with_reset and demo.demo_exists():
            removed = demo.reset()
            self.stdout.write(
                f"Removed {removed.units} demo units, {removed.accounts} accounts and {removed.cases} cases"
                f" ({removed.responsibilities} responsibilities), with the mediation centre's {removed.disputes}"
                " disputes."
            )
        counts = demo.seed(self.cases, self.history, self.disputes)
        self.stdout.write(
            self.style.SUCCESS(
                f"Loaded {data.DISTRICT_NAME}: {counts.units} units, {counts.accounts} accounts,"
                f" {counts.matters} matters, {counts.responsibilities} responsibilities,"
                f" {counts.cases} cases from real messages, {counts.history} cases of the past year,"
                f" {counts.articles} published articles; the mediation centre: {counts.rooms} rooms,"
                f" {counts.mediators} mediators, {counts.disputes} disputes, {counts.risk_reports} risk reports."
            )
        )
