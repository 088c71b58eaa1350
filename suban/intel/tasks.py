"""The worker's intelligence jobs: routing a newly accepted case by the model, and the nightly hotspots and
seasonal alerts."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task, lock_task

from suban.accounts.models import User
from suban.intel.daily import compute_all
from suban.intel.routing import auto_dispatch, learn_from_outside


@db_task()
def auto_dispatch_case(case_id: int) -> str:
    return auto_dispatch(case_id)


@db_task()
def learn_from_outside_dispatches(case_ids: list[int], by_id: int | None) -> int:
    return learn_from_outside(case_ids, by=User.objects.filter(pk=by_id).first() if by_id else None)


@db_periodic_task(crontab(hour="2", minute="17"))
@lock_task("intel-hotspots")
def daily_hotspots() -> dict[str, int]:
    runs = compute_all()
    return {run.district.code: run.hotspots for run in runs}
