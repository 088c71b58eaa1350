"""The exchange's housekeeping: uploads nobody imported are not kept."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from suban.exchange.batches import forget_stale_uploads


@db_periodic_task(crontab(minute="7"))
def forget_stale_uploads_hourly() -> int:
    return forget_stale_uploads()
