"""A grid worker's own records: patrols (巡查), the work log (工作日志) and the reports they file (上报事项).

Cases themselves live in suban.cases; a GridReport only remembers what the worker said when filing one
(above all "solved on the spot"), because the lifecycle gives a grid worker no way to close their own
report: the dispatch centre accepts and dispatches it like any other case.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from suban.cases.models import Case
from suban.org.models import Unit


class Patrol(models.Model):
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("grid worker"), on_delete=models.PROTECT, related_name="patrols"
    )
    grid = models.ForeignKey(Unit, verbose_name=_("grid"), on_delete=models.PROTECT, related_name="patrols")
    started_at = models.DateTimeField(_("started"))
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    # Optional: the phone's positions while the page was open, [[longitude, latitude], ...], and their length.
    track = models.JSONField(_("track"), default=list, blank=True)
    distance_m = models.PositiveIntegerField(_("distance (m)"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    photo_count = models.PositiveSmallIntegerField(_("photos"), default=0)

    class Meta:
        verbose_name = _("patrol")
        verbose_name_plural = _("patrols")
        ordering = ["-started_at"]
        constraints = [
            # One patrol at a time: a second start while one runs is a double tap, not a second patrol.
            models.UniqueConstraint(fields=["worker"], condition=Q(ended_at=None), name="gridwork_one_open_patrol"),
        ]
        indexes = [models.Index(fields=["worker", "started_at"], name="patrol_worker_started")]

    def __str__(self) -> str:
        return f"{self.worker} {self.started_at:%Y-%m-%d %H:%M}"

    @property
    def is_running(self) -> bool:
        return self.ended_at is None


class WorkKind(models.TextChoices):
    PATROL = "patrol", _("Patrol")  # 巡查
    VISIT = "visit", _("Household visit")  # 走访
    PUBLICITY = "publicity", _("Publicity")  # 宣传
    INSPECTION = "inspection", _("Hazard and dispute check")  # 排查
    OTHER = "other", _("Other")  # 其他


class WorkLogEntry(models.Model):
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("grid worker"), on_delete=models.PROTECT, related_name="work_log"
    )
    grid = models.ForeignKey(Unit, verbose_name=_("grid"), on_delete=models.PROTECT, related_name="work_log")
    date = models.DateField(_("date"))
    kind = models.CharField(_("kind of work"), max_length=12, choices=WorkKind.choices)
    text = models.TextField(_("what was done"))
    case = models.ForeignKey(
        Case, verbose_name=_("case"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("written"), auto_now_add=True)

    class Meta:
        verbose_name = _("work log entry")
        verbose_name_plural = _("work log")
        ordering = ["-date", "-created_at"]
        indexes = [
            models.Index(fields=["worker", "date"], name="worklog_worker_date"),
            models.Index(fields=["grid", "date"], name="worklog_grid_date"),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.worker} {self.get_kind_display()}"


class GridReport(models.Model):
    """What a grid worker said when filing a case: the grid, the patrol, and a solution found on the spot."""

    class Located(models.TextChoices):
        GPS = "gps", _("Phone GPS")
        GRID_CENTRE = "grid_centre", _("Centre of the grid")
        ADDRESS = "address", _("Address only")

    case = models.OneToOneField(Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="grid_report")
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("grid worker"), on_delete=models.PROTECT, related_name="+"
    )
    grid = models.ForeignKey(Unit, verbose_name=_("grid"), on_delete=models.PROTECT, related_name="+")
    patrol = models.ForeignKey(
        Patrol, verbose_name=_("patrol"), null=True, blank=True, on_delete=models.SET_NULL, related_name="reports"
    )
    solved_on_spot = models.BooleanField(_("solved on the spot"), default=False)
    solution = models.TextField(_("what was done on the spot"), blank=True)
    located_by = models.CharField(_("located by"), max_length=12, choices=Located.choices, default=Located.GPS)
    created_at = models.DateTimeField(_("reported"), auto_now_add=True)

    class Meta:
        verbose_name = _("grid report")
        verbose_name_plural = _("grid reports")
        indexes = [models.Index(fields=["worker", "created_at"], name="gridreport_worker")]

    def __str__(self) -> str:
        return str(self.case)
