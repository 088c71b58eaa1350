"""The worker's side: send a case's queue after commit, try its head again later, sweep every minute."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task, lock_task

from suban.citysync import sending


@db_task()
def deliver_queue(webhook_id: int, case_id: int) -> None:
    outcome = sending.deliver_queue(webhook_id, case_id)
    if outcome.retry_in is not None and outcome.retry_in.total_seconds() < 60:
        # The sweep finds it too; this tries it on time when the wait is shorter than a minute.
        deliver_queue.schedule((webhook_id, case_id), delay=outcome.retry_in.total_seconds())


@db_periodic_task(crontab(minute="*"))
@lock_task("citysync-sweep")
def sweep_deliveries() -> dict[str, int]:
    run = sending.sweep()
    return {"queues": run.queues, "sent": run.sent, "retry": run.retry, "dead": run.dead}


@db_periodic_task(crontab(hour="3", minute="47"))
def purge_deliveries_daily() -> int:
    return sending.purge()
