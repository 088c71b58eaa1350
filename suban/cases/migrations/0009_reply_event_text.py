"""A reply step keeps the text it replied with (data["reply"]), so that a reply the district sent back, or one
a reopened case replaced, stays in the record. Steps written before this kept only whether the reply was in
time; their text is recovered where it still exists: the release that followed a reply carries it, and the
case holds the text of its last reply. A draft sent back and replaced before this migration was never kept,
and stays without its text. Imported history (suban.exchange.history) put the text in the note: it moves."""

from __future__ import annotations

from typing import Any

from django.db import migrations

CHUNK = 500


def recover_reply_texts(apps: Any, schema_editor: Any) -> None:
    Case = apps.get_model("cases", "Case")
    CaseEvent = apps.get_model("cases", "CaseEvent")
    db = schema_editor.connection.alias
    missing = CaseEvent.objects.using(db).filter(action="reply").exclude(data__has_key="reply")
    case_ids = sorted(set(missing.values_list("case_id", flat=True)))
    for start in range(0, len(case_ids), CHUNK):
        chunk = case_ids[start : start + CHUNK]
        last_reply = dict(Case.objects.using(db).filter(pk__in=chunk).values_list("pk", "reply"))
        steps: dict[int, list[Any]] = {}
        for event in (
            CaseEvent.objects.using(db)
            .filter(case_id__in=chunk, action__in=["reply", "approve_reply"])
            .order_by("case_id", "seq")
        ):
            steps.setdefault(event.case_id, []).append(event)
        changed = []
        for case_id, events in steps.items():
            replies = [n for n, e in enumerate(events) if e.action == "reply"]
            for n in replies:
                event = events[n]
                data = event.data if isinstance(event.data, dict) else {}
                if "reply" in data:
                    continue
                following = events[n + 1] if n + 1 < len(events) else None
                if following is not None and following.action == "approve_reply":
                    text = (following.data or {}).get("reply")
                elif n == replies[-1]:
                    text = last_reply.get(case_id)
                else:
                    text = None  # sent back and replaced: never kept
                if not isinstance(text, str):
                    continue
                event.data = {**data, "reply": text}
                if data.get("historical") and event.note == text:
                    event.note = ""
                changed.append(event)
        CaseEvent.objects.using(db).bulk_update(changed, ["data", "note"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [("cases", "0008_case_extension_asked")]

    operations = [migrations.RunPython(recover_reply_texts, migrations.RunPython.noop, elidable=True)]
