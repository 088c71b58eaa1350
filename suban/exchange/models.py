"""Work orders exchanged with other systems: a 12345 hotline platform pushing orders and pulling results,
and past systems whose closed cases are imported as history.

A Source is the other system; a ColumnMapping says which of its columns (or JSON fields) is which of ours,
and how its words translate into our values. Every case that came from a source has one ExchangeRecord:
the source's own order id (unique per source, the dedup key), whether the case is historical, and the
import batch it came in. An ImportBatch is one uploaded file: its validation report and its outcome.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from suban.cases.models import Case


class SourceKind(models.TextChoices):
    HOTLINE = "hotline", _("12345 hotline (live orders)")
    HISTORY = "history", _("Past system (historical cases)")


class Source(models.Model):
    name = models.SlugField(_("name"), max_length=40, unique=True)
    label = models.CharField(_("label"), max_length=100)
    kind = models.CharField(_("kind"), max_length=10, choices=SourceKind.choices, default=SourceKind.HOTLINE)
    # When set, only this account (the hotline system's API token holder) may push to and pull from it.
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("API account"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The last sequence number given to a historical case of this source (numbers H<source>-<sequence>).
    last_number = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("exchange source")
        verbose_name_plural = _("exchange sources")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.label or self.name


class ColumnMapping(models.Model):
    """{"columns": {our field: header or [headers]}, "values": {our field: {their text: our value}},
    "options": {...}}; see suban.exchange.mapping for the fields and options."""

    source = models.ForeignKey(Source, verbose_name=_("source"), on_delete=models.CASCADE, related_name="mappings")
    name = models.SlugField(_("name"), max_length=40)
    columns = models.JSONField(_("columns"), default=dict)
    values = models.JSONField(_("value maps"), default=dict, blank=True)
    options = models.JSONField(_("options"), default=dict, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("column mapping")
        verbose_name_plural = _("column mappings")
        ordering = ["source", "name"]
        constraints = [models.UniqueConstraint(fields=["source", "name"], name="exchange_mapping_unique")]

    def __str__(self) -> str:
        return f"{self.source.name}/{self.name}"

    def as_dict(self) -> dict[str, object]:
        return {"columns": self.columns, "values": self.values, "options": self.options}


class BatchState(models.TextChoices):
    CHECKED = "checked", _("Checked, not imported")
    DONE = "done", _("Imported")
    REFUSED = "refused", _("Refused: errors found")


class ImportBatch(models.Model):
    source = models.ForeignKey(Source, verbose_name=_("source"), on_delete=models.PROTECT, related_name="batches")
    mapping = models.ForeignKey(
        ColumnMapping, verbose_name=_("mapping"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    historical = models.BooleanField(_("historical"), default=False)
    file = models.FileField(_("file"), upload_to="exchange/%Y/%m/", blank=True)
    file_name = models.CharField(_("file name"), max_length=200, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, blank=True, on_delete=models.PROTECT
    )
    state = models.CharField(_("state"), max_length=10, choices=BatchState.choices, default=BatchState.CHECKED)
    valid_rows_only = models.BooleanField(_("imported the valid rows only"), default=False)
    rows = models.PositiveIntegerField(_("rows"), default=0)
    created = models.PositiveIntegerField(_("created"), default=0)
    duplicates = models.PositiveIntegerField(_("already imported"), default=0)
    failed = models.PositiveIntegerField(_("rows with errors"), default=0)
    # [{"row": 2, "column": "标题", "message": "..."}]: the row numbers Excel shows (the header is row 1).
    errors = models.JSONField(_("errors"), default=list, blank=True)
    seconds = models.FloatField(_("seconds"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("import batch")
        verbose_name_plural = _("import batches")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.source.name} {self.file_name} ({self.get_state_display()})"


class ExchangeRecord(models.Model):
    """The link between a case and the system it came from. `historical` cases (imported from a past system,
    closed) are left out of the assessment of current units unless `assessable` (see assess-interface)."""

    case = models.OneToOneField(Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="exchange")
    source = models.ForeignKey(Source, verbose_name=_("source"), on_delete=models.PROTECT, related_name="records")
    ref = models.CharField(_("order id in the source"), max_length=64)
    batch = models.ForeignKey(
        ImportBatch, verbose_name=_("batch"), null=True, blank=True, on_delete=models.SET_NULL, related_name="records"
    )
    historical = models.BooleanField(_("historical"), default=False)
    assessable = models.BooleanField(_("counts in assessment"), default=True)
    source_time = models.DateTimeField(_("time in the source"), null=True, blank=True)
    created_at = models.DateTimeField(_("imported"), auto_now_add=True)

    class Meta:
        verbose_name = _("exchange record")
        verbose_name_plural = _("exchange records")
        constraints = [models.UniqueConstraint(fields=["source", "ref"], name="exchange_record_unique")]
        indexes = [models.Index(fields=["historical"], name="exchange_historical", condition=models.Q(historical=True))]

    def __str__(self) -> str:
        return f"{self.source_id}:{self.ref}"
