"""The grid workers' year: patrols and work-log entries on working days, each worker with a diligence of their own."""

from __future__ import annotations

import random
from collections import Counter
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from suban.accounts.models import User
from suban.demo.history.district import Cast
from suban.demo.history.lives import Life
from suban.demo.history.write import own_timestamps
from suban.gridwork.models import Patrol, WorkKind, WorkLogEntry
from suban.workdays.calendar import WorkCalendar

GRID_WORK_DAYS = 180  # the grid workers' patrols and work log reach back half a year
WORK_TEXT: dict[str, tuple[str, ...]] = {
    WorkKind.PATROL: ("巡查网格内道路及公共设施，未发现异常。", "巡查沿街商户门前三包落实情况。"),
    WorkKind.VISIT: ("走访独居老人，了解生活需求。", "入户走访新迁入住户，登记基础信息。"),
    WorkKind.PUBLICITY: ("开展防诈骗宣传，发放宣传资料。", "宣传垃圾分类知识。"),
    WorkKind.INSPECTION: ("排查楼道堆物及消防通道占用情况。", "排查邻里纠纷隐患，已调解一起。"),
    WorkKind.OTHER: ("配合社区开展疫苗接种登记。",),
}


def grid_work(
    rng: random.Random,
    cast: Cast,
    today: date,
    calendar: WorkCalendar,
    tz: ZoneInfo,
    reports: list[tuple[Life, User]],
) -> None:
    """Patrols and work-log entries of every grid worker on the working days of the year."""
    reported: Counter[tuple[int, date]] = Counter()
    for life, worker in reports:
        assert life.case.created_at is not None
        reported[(worker.pk, timezone.localdate(life.case.created_at))] += 1
    kinds = list(WORK_TEXT)
    kind_w = [5, 3, 1, 2, 1]
    patrols: list[Patrol] = []
    entries: list[WorkLogEntry] = []
    for grid_id, workers in cast.grid_workers.items():
        for worker in workers:
            diligence = min(0.97, max(0.25, rng.gauss(0.72, 0.18)))
            for back in range(GRID_WORK_DAYS, 0, -1):
                day = today - timedelta(days=back)
                if not calendar.is_workday(day) or rng.random() > diligence:
                    continue
                start = datetime.combine(day, time(rng.randint(8, 15), rng.randint(0, 59)), tz)
                minutes = rng.randint(40, 150)
                patrols.append(
                    Patrol(
                        worker=worker,
                        grid_id=grid_id,
                        started_at=start,
                        ended_at=start + timedelta(minutes=minutes),
                        distance_m=int(minutes * rng.uniform(40, 70)),
                        note="",
                    )
                )
                for _n in range(1 + (rng.random() < diligence * 0.6) + reported[(worker.pk, day)]):
                    kind = rng.choices(kinds, kind_w)[0]
                    entries.append(
                        WorkLogEntry(
                            worker=worker, grid_id=grid_id, date=day, kind=kind, text=rng.choice(WORK_TEXT[kind])
                        )
                    )
    with own_timestamps((WorkLogEntry, "created_at")):
        for entry in entries:
            entry.created_at = datetime.combine(entry.date, time(17, 30), tz)
        Patrol.objects.bulk_create(patrols, batch_size=2000)
        WorkLogEntry.objects.bulk_create(entries, batch_size=2000)
