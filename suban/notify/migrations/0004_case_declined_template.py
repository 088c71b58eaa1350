"""The citizen hears when a request is not accepted, and why: the template with its default Chinese text."""

from django.db import migrations, models

from suban.notify.defaults import DEFAULT_TEMPLATES


def seed(apps, schema_editor):
    default = DEFAULT_TEMPLATES["case_declined"]
    apps.get_model("notify", "MessageTemplate").objects.get_or_create(
        code="case_declined",
        defaults={"channel": default["channel"], "subject": default["subject"], "body": default["body"]},
    )


def unseed(apps, schema_editor):
    apps.get_model("notify", "MessageTemplate").objects.filter(code="case_declined").delete()


class Migration(migrations.Migration):
    dependencies = [("notify", "0003_template_choices")]

    operations = [migrations.RunPython(seed, unseed)]
