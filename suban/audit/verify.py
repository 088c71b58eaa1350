"""Checking the audit log: every way of changing or cutting it that the chain, the head, the purge's
checkpoints and the database's triggers let us see (README, "Audit", says what is seen and what is not)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection

from suban.audit.guard import guard_gaps
from suban.audit.models import AuditEntry, AuditHead
from suban.audit.services import (
    GENESIS,
    KEY_ADOPTED_ACTION,
    PURGE_ACTION,
    hashed_fields,
    keyed_digest,
    plain_digest,
)


@dataclass(frozen=True)
class Problem:
    # start: entries missing before the oldest kept one; gap: missing in between; link: an entry that does not
    # follow the one before; altered: content that does not match its hash; unkeyed: not sealed with the key;
    # checkpoint: a purge checkpoint that names no entry; head: the head does not name the newest entry;
    # guard: a protecting trigger missing or disabled; anchor: an entry recorded outside differs or is gone.
    kind: str
    message: str


@dataclass
class Verdict:
    checked: int = 0
    keyed: int = 0
    start_seq: int = 0  # the entry the oldest kept one follows: 0 (the chain's start) or the last one purged
    start_hash: str = GENESIS
    newest_seq: int = 0
    newest_hash: str = GENESIS
    unkeyed_through: int = 0  # the last entry chained without the key
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def whole(self) -> bool:
        return not self.problems

    @property
    def kinds(self) -> set[str]:
        return {problem.kind for problem in self.problems}

    def add(self, kind: str, message: str) -> None:
        self.problems.append(Problem(kind, message))


def audit_verify(*, anchors: Sequence[tuple[int, str]] = (), adopting_key: bool = False) -> Verdict:
    """Walk the chain from its anchor (the start, or the latest purge checkpoint) to the head.

    `anchors`: (seq, hash) pairs recorded outside the database earlier (the hourly log line), which the chain
    must still hold. `adopting_key`: entries chained before the first one sealed with AUDIT_HMAC_KEY are
    accepted unsealed (audit_verify --adopt-key, once, after setting the key on a running log)."""
    verdict = Verdict()
    _find_start(verdict)
    if verdict.whole:
        _walk(verdict, adopting_key=adopting_key)
    _check_head(verdict)
    gaps = guard_gaps(connection)
    if gaps:
        verdict.add("guard", f"the database triggers that protect the log are not in place: {', '.join(gaps)}")
    for seq, digest in anchors:
        _check_anchor(verdict, seq, digest)
    return verdict


def _find_start(verdict: Verdict) -> None:
    checkpoint = AuditEntry.objects.filter(action=PURGE_ACTION).order_by("-seq").first()
    if checkpoint is None:
        return
    through_seq = checkpoint.detail.get("through_seq")
    through_hash = checkpoint.detail.get("through_hash")
    if not isinstance(through_seq, int) or not isinstance(through_hash, str) or not 0 < through_seq < checkpoint.seq:
        verdict.add("checkpoint", f"the purge checkpoint, entry {checkpoint.seq}, names no entry before it")
        return
    verdict.start_seq, verdict.start_hash = through_seq, through_hash


def _walk(verdict: Verdict, *, adopting_key: bool) -> None:
    key = settings.AUDIT_HMAC_KEY
    unkeyed_allowed = _adopted_through(key) if key else None
    expected_seq, expected_prev = verdict.start_seq + 1, verdict.start_hash
    start = "the chain's start" if verdict.start_seq == 0 else f"entry {verdict.start_seq}, the last one purged"
    for entry in AuditEntry.objects.order_by("seq").iterator(chunk_size=2000):
        first = verdict.checked == 0
        if entry.seq > expected_seq:
            missing = _range(expected_seq, entry.seq - 1)
            if first:
                verdict.add(
                    "start", f"{missing} missing at the start of the log: the oldest entry should follow {start}"
                )
            else:
                verdict.add("gap", f"{missing} missing between entries {expected_seq - 1} and {entry.seq}")
            return
        if entry.seq < expected_seq:
            verdict.add("checkpoint", f"entry {entry.seq} is still there, yet the purge checkpoint says it went")
            return
        if entry.prev_hash != expected_prev:
            if first:
                verdict.add("start", f"the oldest entry, {entry.seq}, does not follow {start}")
            else:
                verdict.add(
                    "link", f"entry {entry.seq} does not follow entry {entry.seq - 1}: one of them was replaced"
                )
            return
        fields = hashed_fields(entry)
        if key and entry.hash == keyed_digest(key, entry.prev_hash, fields):
            verdict.keyed += 1
        elif entry.hash == plain_digest(entry.prev_hash, fields):
            adopted = adopting_key and verdict.keyed == 0
            if unkeyed_allowed is not None and entry.seq > unkeyed_allowed and not adopted:
                verdict.add("unkeyed", _unkeyed_message(entry.seq, verdict.keyed))
                return
            verdict.unkeyed_through = entry.seq
        else:
            unset = "" if key else "; or it was sealed with AUDIT_HMAC_KEY, which is not set"
            verdict.add(
                "altered", f"entry {entry.seq} was changed after it was written (its hash does not match{unset})"
            )
            return
        verdict.checked += 1
        expected_seq, expected_prev = entry.seq + 1, entry.hash


def _adopted_through(key: str) -> int:
    """The last entry that may be unsealed: the one named by the latest adoption of the key, which counts only
    when it is itself sealed with the key (whoever has only the database cannot make one)."""
    marker = AuditEntry.objects.filter(action=KEY_ADOPTED_ACTION).order_by("-seq").first()
    if marker is None or marker.hash != keyed_digest(key, marker.prev_hash, hashed_fields(marker)):
        return 0
    through = marker.detail.get("unkeyed_through_seq")
    return through if isinstance(through, int) and 0 <= through < marker.seq else 0


def _unkeyed_message(seq: int, keyed: int) -> str:
    if keyed:
        return f"entry {seq} is not sealed with AUDIT_HMAC_KEY, though entries before it are"
    return (
        f"entry {seq} is not sealed with AUDIT_HMAC_KEY. If the key was set on a running log, check the entries "
        "chained before it and accept them once with `audit_verify --adopt-key`"
    )


def _check_head(verdict: Verdict) -> None:
    head = AuditHead.objects.filter(pk=1).first()
    newest = AuditEntry.objects.order_by("-seq").first()
    if newest is not None:
        verdict.newest_seq, verdict.newest_hash = newest.seq, newest.hash
    if head is None:
        if newest is not None:
            verdict.add("head", f"the chain head is missing; the newest entry is {newest.seq}")
        return
    if (head.seq, head.last_hash) == (verdict.newest_seq, verdict.newest_hash):
        return
    if head.seq > verdict.newest_seq:
        verdict.add(
            "head", f"{_range(verdict.newest_seq + 1, head.seq)} removed from the end: the head names entry {head.seq}"
        )
    else:
        verdict.add("head", f"the chain head names entry {head.seq}, not the newest entry {verdict.newest_seq}")


def _check_anchor(verdict: Verdict, seq: int, digest: str) -> None:
    entry = AuditEntry.objects.filter(seq=seq).first()
    if entry is not None:
        found = entry.hash
    elif seq == verdict.start_seq:
        found = verdict.start_hash
    elif seq < verdict.start_seq:
        verdict.notes.append(f"entry {seq} was purged: the anchor cannot be compared any more")
        return
    else:
        verdict.add("anchor", f"entry {seq}, recorded outside, is gone (the newest entry is {verdict.newest_seq})")
        return
    if found != digest:
        verdict.add("anchor", f"entry {seq} is not the one recorded outside: the chain was rewritten")


def _range(first: int, last: int) -> str:
    return f"entry {first} is" if first == last else f"entries {first}–{last} ({last - first + 1}) are"
