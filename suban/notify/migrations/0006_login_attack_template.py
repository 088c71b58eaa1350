"""The security admins hear when an account is under attack (suban.accounts.lockout): the template with its
default Chinese text."""

from django.db import migrations, models

from suban.notify.defaults import DEFAULT_TEMPLATES


def seed(apps, schema_editor):
    default = DEFAULT_TEMPLATES["login_attack"]
    apps.get_model("notify", "MessageTemplate").objects.get_or_create(
        code="login_attack",
        defaults={"channel": default["channel"], "subject": default["subject"], "body": default["body"]},
    )


def unseed(apps, schema_editor):
    apps.get_model("notify", "MessageTemplate").objects.filter(code="login_attack").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("notify", "0005_outbox_uid"),
    ]

    operations = [
        migrations.AlterField(
            model_name="messagetemplate",
            name="code",
            field=models.CharField(
                choices=[
                    ("login_code", "Login code (citizen)"),
                    ("case_accepted", "Request accepted (citizen)"),
                    ("case_replied", "Reply released (citizen)"),
                    ("case_closed", "Request closed (citizen)"),
                    ("case_declined", "Request not accepted (citizen)"),
                    ("staff_new_case", "New case for the unit (staff)"),
                    ("staff_deadline_yellow", "One working day left (staff)"),
                    ("staff_overdue", "Deadline passed (staff)"),
                    ("login_attack", "Account under attack (security admin)"),
                ],
                max_length=32,
                unique=True,
                verbose_name="message type",
            ),
        ),
        migrations.AlterField(
            model_name="outbox",
            name="template",
            field=models.CharField(
                choices=[
                    ("login_code", "Login code (citizen)"),
                    ("case_accepted", "Request accepted (citizen)"),
                    ("case_replied", "Reply released (citizen)"),
                    ("case_closed", "Request closed (citizen)"),
                    ("case_declined", "Request not accepted (citizen)"),
                    ("staff_new_case", "New case for the unit (staff)"),
                    ("staff_deadline_yellow", "One working day left (staff)"),
                    ("staff_overdue", "Deadline passed (staff)"),
                    ("login_attack", "Account under attack (security admin)"),
                ],
                max_length=32,
                verbose_name="message type",
            ),
        ),
        migrations.RunPython(seed, unseed),
    ]
