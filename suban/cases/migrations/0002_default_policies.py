from decimal import Decimal

from django.db import migrations

# Handling limits in working days (Laoshan: community 2, street 3, department 4); a catch-all of 5
# (Jinan, Weifang hotline orders); urgent cases 1 day, very urgent half a day. Admins edit these.
POLICIES = [
    {"working_days": Decimal(5)},
    {"level": "grid", "working_days": Decimal(2)},
    {"level": "community", "working_days": Decimal(2)},
    {"level": "street", "working_days": Decimal(3)},
    {"level": "department", "working_days": Decimal(4)},
    {"level": "district", "working_days": Decimal(5)},
    {"urgency": "urgent", "working_days": Decimal(1), "response_hours": Decimal(2)},
    {"urgency": "critical", "working_days": Decimal("0.5"), "response_hours": Decimal(1)},
]
START_LEVELS = {"livelihood": "community", "development": "street", "enforcement": "street"}


def load(apps, schema_editor):
    Policy = apps.get_model("cases", "DeadlinePolicy")
    for row in POLICIES:
        Policy.objects.get_or_create(
            case_type=row.get("case_type", ""),
            nature=row.get("nature", ""),
            level=row.get("level", ""),
            urgency=row.get("urgency", ""),
            defaults={"working_days": row["working_days"], "response_hours": row.get("response_hours", Decimal(4))},
        )
    StartLevel = apps.get_model("catalogue", "StartLevel")
    for case_type, level in START_LEVELS.items():
        StartLevel.objects.get_or_create(case_type=case_type, defaults={"level": level})


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial"), ("catalogue", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
