from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, lock_task

from suban.knowledge.reminders import send_reminders


@db_periodic_task(crontab(hour="8", minute="47"))
@lock_task("knowledge-reminders")
def knowledge_reminders() -> dict[str, int]:
    sent = send_reminders()
    return {"units": sent.expiring_units, "articles": sent.expiring_articles, "reviewers": sent.reviewers}
