"""A supervision order says how it ended (outcome): closed by a supervisor, or ended with its case. Orders
a supervisor closed before are marked so; orders left open on cases already closed, declined or merged (the
case's closing did not end them) end as the step that ended the case would have ended them: at its time, by
its actor."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import migrations, models
from django.db.models import OuterRef, Subquery
from django.db.models.functions import Coalesce, Now

SETTLED_BY = {"closed": "case_closed", "declined": "case_declined", "merged": "case_merged"}


def settle(apps: Any, schema_editor: Any) -> None:
    Case = apps.get_model("cases", "Case")
    CaseEvent = apps.get_model("cases", "CaseEvent")
    SupervisionOrder = apps.get_model("cases", "SupervisionOrder")
    orders = SupervisionOrder.objects.using(schema_editor.connection.alias)
    orders.filter(state="done", outcome="").update(
        outcome="done", done_at=Coalesce("done_at", "feedback_at", "created_at")
    )
    for status, outcome in SETTLED_BY.items():
        # The step that ended the case: the last one into the status from another.
        ending = (
            CaseEvent.objects.filter(case_id=OuterRef("case_id"), to_status=status)
            .exclude(from_status=status)
            .order_by("-seq")
        )
        closed_at = Case.objects.filter(pk=OuterRef("case_id")).values("closed_at")[:1]
        orders.filter(state="open", case__status=status).update(
            state="done",
            outcome=outcome,
            done_at=Coalesce(Subquery(ending.values("at")[:1]), Subquery(closed_at), Now()),
            done_by=Subquery(ending.values("actor")[:1]),
        )


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0009_reply_event_text"),
        ("org", "0002_place_updated_at"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="supervisionorder",
            name="outcome",
            field=models.CharField(
                blank=True,
                choices=[
                    ("done", "Closed by a supervisor"),
                    ("case_closed", "Ended as the case was closed"),
                    ("case_declined", "Ended as the case was declined"),
                    ("case_merged", "Ended as the case was merged"),
                ],
                max_length=14,
                verbose_name="outcome",
            ),
        ),
        migrations.RunPython(settle, migrations.RunPython.noop, elidable=True),
    ]
