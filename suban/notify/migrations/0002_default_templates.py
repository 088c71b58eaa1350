"""The message templates with their default Chinese texts (suban.notify.defaults); admins edit them later."""

from django.db import migrations

from suban.notify.defaults import DEFAULT_TEMPLATES


def seed(apps, schema_editor):
    MessageTemplate = apps.get_model("notify", "MessageTemplate")
    for code, default in DEFAULT_TEMPLATES.items():
        MessageTemplate.objects.get_or_create(
            code=code,
            defaults={"channel": default["channel"], "subject": default["subject"], "body": default["body"]},
        )


def unseed(apps, schema_editor):
    apps.get_model("notify", "MessageTemplate").objects.filter(code__in=list(DEFAULT_TEMPLATES)).delete()


class Migration(migrations.Migration):
    dependencies = [("notify", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
