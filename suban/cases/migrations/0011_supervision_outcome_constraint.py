"""Apart from 0010, whose updates of a foreign key leave PostgreSQL's deferred checks pending: a table with pending
trigger events cannot be altered in the same transaction."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("cases", "0010_supervision_outcome")]

    operations = [
        migrations.AddConstraint(
            model_name="supervisionorder",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("outcome", ""), ("state", "open")),
                    models.Q(("done_at__isnull", False), ("state", "done"), models.Q(("outcome", ""), _negated=True)),
                    _connector="OR",
                ),
                name="supervision_outcome",
            ),
        ),
    ]
