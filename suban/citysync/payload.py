"""What a delivery says: the step, and the case's public state after it. Never the complainant: no name, no
phone (mobile and ID numbers and e-mail addresses typed into a free text are masked too)."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from suban import crypto
from suban.cases.models import Case, CaseEvent
from suban.cases.visibility import RELEASED

PAYLOAD_VERSION = 1


def _time(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def case_state(case: Case, event: CaseEvent) -> dict[str, Any]:
    """The case as the public may know it, as of `event` (its status and version are the event's)."""
    unit = case.unit
    released = event.to_status in RELEASED
    return {
        "number": case.number,
        "source_ref": case.source_ref,
        "channel": case.channel,
        "case_type": case.case_type,
        "nature": case.nature,
        "urgency": case.urgency,
        "title": crypto.mask_in_text(case.title),
        "address": crypto.mask_in_text(case.address),
        "status": event.to_status,
        "version": event.seq,
        "level": case.level,
        "unit": {"code": unit.code, "name": unit.name} if unit is not None else None,
        "created_at": _time(case.created_at),
        "due_at": _time(case.due_at),
        "alert": case.alert,
        "replied_at": _time(case.replied_at) if released else None,
        "reply": crypto.mask_in_text(case.reply) if released else "",
        "closed_at": _time(case.closed_at),
        "satisfaction": case.satisfaction,
        "resolved": case.resolved,
        "support_count": case.support_count,
    }


def event_part(event: CaseEvent) -> dict[str, Any]:
    actor = event.actor
    if actor is None:
        kind = "system"
    elif actor.is_citizen:
        kind = "citizen"
    else:
        kind = "staff"
    unit = event.actor_unit if kind == "staff" else None
    return {
        "seq": event.seq,
        "action": event.action,
        "from": event.from_status,
        "to": event.to_status,
        "at": _time(event.at),
        "note": crypto.mask_in_text(event.note),
        "public": event.public,
        "actor": {"kind": kind, "unit": unit.code if unit is not None else None},
    }


def body_for(*, delivery_id: str, webhook_code: str, case: dict[str, Any], event: dict[str, Any]) -> str:
    """The exact text that is sent (and signed): compact JSON in UTF-8."""
    return json.dumps(
        {
            "version": PAYLOAD_VERSION,
            "delivery_id": delivery_id,
            "webhook": webhook_code,
            "event": event,
            "case": case,
        },
        ensure_ascii=False,
        separators=(",", ":"),
    )
