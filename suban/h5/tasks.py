"""The H5's nightly housekeeping."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from suban.h5.services import purge_submit_keys


@db_periodic_task(crontab(hour="4", minute="17"))
def purge_submit_keys_daily() -> int:
    return purge_submit_keys()
