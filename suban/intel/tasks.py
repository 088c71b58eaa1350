"""The worker's intelligence jobs: routing a newly accepted case by the model, and the nightly hotspots and
seasonal alerts."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task, lock_task

from suban.intel.daily import compute_all
from suban.intel.routing import auto_dispatch


@db_task()
def auto_dispatch_case(case_id: int) -> str:
    return auto_dispatch(case_id)


@db_periodic_task(crontab(hour="2", minute="17"))
@lock_task("intel-hotspots")
def daily_hotspots() -> dict[str, int]:
    runs = compute_all()
    return {run.district.code: run.hotspots for run in runs}
