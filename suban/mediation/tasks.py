from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, lock_task

from suban.mediation.services import dispute_clock


@db_periodic_task(crontab(minute="*/5"))
@lock_task("dispute-clock")
def mediation_clock() -> dict[str, int]:
    return dispute_clock()
