import re
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from suban.audit.services import KEY_ADOPTED_ACTION, audit_record
from suban.audit.verify import Verdict, audit_verify


def anchor(value: str) -> tuple[int, str]:
    match = re.fullmatch(r"(\d+):([0-9a-f]{64})", value.strip())
    if match is None:
        raise ValueError(value)
    return int(match[1]), match[2]


anchor.__name__ = "SEQ:HASH"  # argparse names the type in its error


class Command(BaseCommand):
    help = (
        "Check the audit log: its hash chain, that no entry is missing at its start, in between or at its end, "
        "that the database triggers protecting it are in place, and any anchors recorded outside. Exits non-zero "
        "with every problem found."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--anchor",
            action="append",
            type=anchor,
            default=[],
            metavar="SEQ:HASH",
            help="an entry recorded outside the database earlier (the hourly 'audit chain head' log line); repeatable",
        )
        parser.add_argument(
            "--adopt-key",
            action="store_true",
            help="once, after setting AUDIT_HMAC_KEY on a running log: accept the entries chained before the first "
            "one sealed with the key, and record that they were checked",
        )

    def handle(self, *args: Any, anchor: list[tuple[int, str]], adopt_key: bool, **options: Any) -> None:
        if adopt_key and not settings.AUDIT_HMAC_KEY:
            raise CommandError("--adopt-key needs AUDIT_HMAC_KEY to be set.")
        verdict = audit_verify(anchors=anchor, adopting_key=adopt_key)
        for note in verdict.notes:
            self.stdout.write(f"Note: {note}.")
        if not verdict.whole:
            lines = "\n".join(f"- {problem.message}" for problem in verdict.problems)
            raise CommandError(f"The audit log is not whole ({verdict.checked} entries check out):\n{lines}")
        if adopt_key:
            entry = audit_record(
                action=KEY_ADOPTED_ACTION,
                actor_name="audit_verify",
                detail={"unkeyed_through_seq": verdict.unkeyed_through},
            )
            self.stdout.write(
                f"Entries up to {verdict.unkeyed_through} are accepted without the key (entry {entry.seq} says so)."
            )
            verdict = audit_verify()
        self.stdout.write(_summary(verdict))


def _summary(verdict: Verdict) -> str:
    start = "the start of the chain" if verdict.start_seq == 0 else f"the purge checkpoint of entry {verdict.start_seq}"
    keyed = f", {verdict.keyed} sealed with AUDIT_HMAC_KEY" if settings.AUDIT_HMAC_KEY else ""
    return (
        f"The audit log is whole: {verdict.checked} entries{keyed}, from {start}; "
        f"head {verdict.newest_seq}:{verdict.newest_hash}"
    )
