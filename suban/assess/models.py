"""Assessment (一诉一考): one row per case, and roll-ups of those rows per unit per day and per matter per street
per day, kept current by deltas. docs/assessment.md defines every figure."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from suban.cases.models import Case, Satisfaction
from suban.catalogue.models import Matter
from suban.org.models import Unit

# The counters of a roll-up row, in one place: the case's contribution (suban.assess.measures), the delta
# upsert (suban.assess.rollups), the rebuild's GROUP BY and the rates all read this list.
UNIT_COUNTERS: tuple[str, ...] = (
    "received",
    "assessed",
    "excluded",
    "dispatched",
    "responded",
    "responded_in_time",
    "reply_due",
    "replied",
    "replied_in_time",
    "completed",
    "rated",
    "satisfied",
    "basically",
    "unsatisfied",
    "resolved",
    "handled",
    "handling_seconds",
    "returns",
    "escalations",
    "supervisions",
    "supervised",
    "supervised_completed",
    "overdue",
    "reopened",
)
MATTER_COUNTERS: tuple[str, ...] = ("received", "assessed", "completed", "unsatisfied")


class CaseAssessment(models.Model):
    """What one case counts for. Recomputed from the case and its event log on every event
    (suban.assess.measures.assess); never edited by hand."""

    case = models.OneToOneField(
        Case, verbose_name=_("case"), primary_key=True, on_delete=models.CASCADE, related_name="assessment"
    )
    day = models.DateField(_("day received"))
    unit = models.ForeignKey(Unit, verbose_name=_("lead unit"), on_delete=models.PROTECT, related_name="+")
    unit_path = models.CharField(_("lead unit path"), max_length=400)
    street = models.ForeignKey(
        Unit, verbose_name=_("street"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    community = models.ForeignKey(
        Unit, verbose_name=_("community"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    grid = models.ForeignKey(
        Unit, verbose_name=_("grid"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    department = models.ForeignKey(
        Unit, verbose_name=_("department"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Where the matter is counted: the street of the case's location, else of its lead unit, else the district.
    area_street = models.ForeignKey(
        Unit, verbose_name=_("street of the place"), on_delete=models.PROTECT, related_name="+"
    )
    matter = models.ForeignKey(
        Matter, verbose_name=_("matter"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    channel = models.CharField(_("channel"), max_length=10)
    case_type = models.CharField(_("type"), max_length=12)
    nature = models.CharField(_("nature"), max_length=12)

    excluded = models.BooleanField(_("excluded from assessment"), default=False)
    exclusion_reason = models.CharField(_("reason for exclusion"), max_length=60, blank=True)
    dispatched = models.BooleanField(_("dispatched"), default=False)
    responded = models.BooleanField(_("responded"), default=False)
    responded_in_time = models.BooleanField(_("responded in time"), default=False)
    reply_due = models.BooleanField(_("reply due"), default=False)
    replied = models.BooleanField(_("replied"), default=False)
    replied_in_time = models.BooleanField(_("replied in time"), default=False)
    completed = models.BooleanField(_("completed"), default=False)
    rated = models.BooleanField(_("rated"), default=False)
    satisfaction = models.CharField(_("satisfaction"), max_length=12, choices=Satisfaction.choices, blank=True)
    resolved = models.BooleanField(_("resolved"), null=True, blank=True)
    overdue = models.BooleanField(_("overdue"), default=False)
    returns = models.PositiveSmallIntegerField(_("returns"), default=0)
    escalations = models.PositiveSmallIntegerField(_("escalations"), default=0)
    supervisions = models.PositiveSmallIntegerField(_("supervisions"), default=0)
    reopened = models.PositiveSmallIntegerField(_("reopened"), default=0)
    handling_seconds = models.BigIntegerField(_("handling time (working seconds)"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("case assessment")
        verbose_name_plural = _("case assessments")
        indexes = [
            # Drill-down: a unit's subtree (a prefix of the path) in a range of days, newest first.
            models.Index(
                fields=["unit_path", "day"], name="assess_case_path_day", opclasses=["varchar_pattern_ops", "date_ops"]
            ),
            models.Index(fields=["day"], name="assess_case_day"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.day}"

    @property
    def handling_days(self) -> float | None:
        return None if self.handling_seconds is None else self.handling_seconds / 86400


class UnitDay(models.Model):
    """The counters of the cases received on `day` whose lead unit lies in `unit`'s subtree."""

    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="+")
    day = models.DateField(_("day"))
    kind = models.CharField(_("kind"), max_length=16)
    received = models.IntegerField(default=0)
    assessed = models.IntegerField(default=0)
    excluded = models.IntegerField(default=0)
    dispatched = models.IntegerField(default=0)
    responded = models.IntegerField(default=0)
    responded_in_time = models.IntegerField(default=0)
    reply_due = models.IntegerField(default=0)
    replied = models.IntegerField(default=0)
    replied_in_time = models.IntegerField(default=0)
    completed = models.IntegerField(default=0)
    rated = models.IntegerField(default=0)
    satisfied = models.IntegerField(default=0)
    basically = models.IntegerField(default=0)
    unsatisfied = models.IntegerField(default=0)
    resolved = models.IntegerField(default=0)
    handled = models.IntegerField(default=0)
    handling_seconds = models.BigIntegerField(default=0)
    returns = models.IntegerField(default=0)
    escalations = models.IntegerField(default=0)
    supervisions = models.IntegerField(default=0)
    supervised = models.IntegerField(default=0)
    supervised_completed = models.IntegerField(default=0)
    overdue = models.IntegerField(default=0)
    reopened = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("unit figures of a day")
        verbose_name_plural = _("unit figures by day")
        constraints = [models.UniqueConstraint(fields=["unit", "day"], name="assess_unitday_unique")]
        indexes = [models.Index(fields=["kind", "day"], name="assess_unitday_kind_day")]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.day}"


class MatterDay(models.Model):
    """The cases of a matter received on `day` at places in `street` (the district when outside any street)."""

    day = models.DateField(_("day"))
    street = models.ForeignKey(Unit, verbose_name=_("street"), on_delete=models.CASCADE, related_name="+")
    matter = models.ForeignKey(Matter, verbose_name=_("matter"), on_delete=models.CASCADE, related_name="+")
    received = models.IntegerField(default=0)
    assessed = models.IntegerField(default=0)
    completed = models.IntegerField(default=0)
    unsatisfied = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("matter figures of a day")
        verbose_name_plural = _("matter figures by day")
        constraints = [models.UniqueConstraint(fields=["day", "street", "matter"], name="assess_matterday_unique")]

    def __str__(self) -> str:
        return f"{self.day} {self.street_id} {self.matter_id}"


def _weight(default: str, label: Any) -> models.DecimalField:
    return models.DecimalField(
        label, max_digits=5, decimal_places=2, default=Decimal(default), validators=[MinValueValidator(Decimal(0))]
    )


class AssessmentConfig(models.Model):
    """The weights of the composite score and of "basically satisfied". One row (pk 1), edited in the admin."""

    response_weight = _weight("20", _("weight of the response rate"))
    on_time_reply_weight = _weight("20", _("weight of the on-time reply rate"))
    completion_weight = _weight("20", _("weight of the completion rate"))
    resolution_weight = _weight("20", _("weight of the resolution rate"))
    satisfaction_weight = _weight("20", _("weight of the satisfaction rate"))
    basically_weight = models.DecimalField(
        _("share of a 'basically satisfied' rating counted as satisfied"),
        max_digits=3,
        decimal_places=2,
        default=Decimal(1),
        validators=[MinValueValidator(Decimal(0))],
        help_text=_("1 counts it as satisfied, 0 as not satisfied, 0.8 as four fifths."),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("assessment settings")
        verbose_name_plural = _("assessment settings")
        constraints = [
            models.CheckConstraint(condition=models.Q(basically_weight__lte=1), name="assess_config_basically_le_1"),
        ]

    def __str__(self) -> str:
        return str(_("Assessment settings"))


class ExclusionRule(models.Model):
    """A kind of case that is not assessed (besides declined and merged ones, which never are)."""

    class Field(models.TextChoices):
        CHANNEL = "channel", _("Channel")
        NATURE = "nature", _("Nature")
        CASE_TYPE = "case_type", _("Type")
        MATTER = "matter", _("Matter code (and the matters under it)")

    field = models.CharField(_("field"), max_length=12, choices=Field.choices)
    value = models.CharField(_("value"), max_length=40)
    reason = models.CharField(_("reason"), max_length=200)
    is_active = models.BooleanField(_("active"), default=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("exclusion rule")
        verbose_name_plural = _("exclusion rules")
        constraints = [models.UniqueConstraint(fields=["field", "value"], name="assess_exclusion_rule_unique")]

    def __str__(self) -> str:
        return f"{self.get_field_display()} = {self.value}"


class RulingReason(models.TextChoices):
    """Why a supervisor rules a case out of assessment after it was taken in (Beijing Art. 11 and practice)."""

    OUTSIDE_AREA = "outside_area", _("Outside the district")
    LEGAL_CHANNEL = "legal_channel", _("Belongs to litigation, arbitration, petition or another legal channel")
    UNTRUE = "untrue", _("Untrue")
    MALICIOUS = "malicious", _("Malicious or harassing")
    UNREASONABLE = "unreasonable", _("Unlawful or unreasonable demand")
    REPEAT = "repeat", _("Repeat with no new facts")


class Ruling(models.Model):
    """A supervisor's ruling that a case is not assessed, with the reason; withdrawing it deletes the row."""

    case = models.OneToOneField(
        Case, verbose_name=_("case"), primary_key=True, on_delete=models.CASCADE, related_name="assessment_ruling"
    )
    reason = models.CharField(_("reason"), max_length=20, choices=RulingReason.choices)
    note = models.CharField(_("note"), max_length=500, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("ruled by"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("ruled"), auto_now_add=True)

    class Meta:
        verbose_name = _("ruling out of assessment")
        verbose_name_plural = _("rulings out of assessment")

    def __str__(self) -> str:
        return f"{self.case_id}: {self.get_reason_display()}"
