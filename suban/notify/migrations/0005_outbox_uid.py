"""Every message gets an id of its own, the stem of the idempotency key its gateway may drop repeats by.

In three steps, as a unique field on existing rows must be: the column is added empty, each row is given
its own UUID, then the column becomes unique and required.
"""

import uuid

from django.db import migrations, models


def fill(apps, schema_editor):
    Outbox = apps.get_model("notify", "Outbox")
    batch = []
    for row in Outbox.objects.filter(uid__isnull=True).only("pk").iterator(chunk_size=1000):
        row.uid = uuid.uuid4()
        batch.append(row)
        if len(batch) == 1000:
            Outbox.objects.bulk_update(batch, ["uid"])
            batch = []
    if batch:
        Outbox.objects.bulk_update(batch, ["uid"])


class Migration(migrations.Migration):
    dependencies = [("notify", "0004_case_declined_template")]

    operations = [
        migrations.AddField(
            model_name="outbox",
            name="uid",
            field=models.UUIDField(editable=False, null=True, verbose_name="message id"),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=True),
        migrations.AlterField(
            model_name="outbox",
            name="uid",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True, verbose_name="message id"),
        ),
    ]
