from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, lock_task

from suban.cases.clock import run_clock


@db_periodic_task(crontab(minute="*"))
@lock_task("deadline-clock")
def deadline_clock() -> dict[str, int]:
    run = run_clock()
    return {"checked": run.checked, "warned": run.warned, "overdue": run.overdue, "skipped": run.skipped}
