"""The worker's side of the outbox: send a message after commit, retry it later, sweep every minute."""

from __future__ import annotations

import logging

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task, lock_task

from suban.notify.sending import deliver, purge, sweep

logger = logging.getLogger(__name__)


@db_task()
def send_message(pk: int) -> None:
    _send(pk)


@db_task()
def send_messages(pks: list[int]) -> None:
    """Several rows in one task (a batch's messages): each claimed, sent and recorded on its own, so one
    that fails does not hold back the others."""
    for pk in pks:
        try:
            _send(pk)
        except Exception:
            logger.exception("outbox row %s not sent; the sweep will try it again", pk)


def _send(pk: int) -> None:
    outcome = deliver(pk)
    if outcome.retry_in is not None:
        # The sweep would find it too; this sends it on time when the wait is shorter than a minute.
        send_message.schedule((pk,), delay=outcome.retry_in.total_seconds())


@db_periodic_task(crontab(minute="*"))
@lock_task("notify-sweep")
def sweep_outbox() -> dict[str, int]:
    run = sweep()
    return {"sent": run.sent, "retry": run.retry, "failed": run.failed, "gave_up_stuck": run.gave_up_stuck}


@db_periodic_task(crontab(hour="3", minute="41"))
def purge_messages_daily() -> dict[str, int]:
    return purge()
