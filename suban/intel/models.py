"""A dispatcher's correction of a suggestion: what the model said, what the person chose. The next training
reads the case's matter as it is now (the correction) and these rows say which cases were corrected."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Correction(models.Model):
    case = models.ForeignKey(
        "cases.Case", verbose_name=_("case"), on_delete=models.CASCADE, related_name="intel_corrections"
    )
    kind = models.CharField(_("what was suggested"), max_length=12, default="matter")
    suggested = models.CharField(_("suggested"), max_length=100, blank=True)
    confidence = models.FloatField(_("confidence"), null=True, blank=True)
    chosen = models.CharField(_("chosen"), max_length=100)
    model_version = models.CharField(_("model version"), max_length=40, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("classification correction")
        verbose_name_plural = _("classification corrections")
        indexes = [models.Index(fields=["kind", "at"], name="intel_correction_kind_at")]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.suggested} → {self.chosen}"


class Hotspot(models.Model):
    """A group of recent requests about the same thing in one district, found by the nightly job
    (suban.intel.daily.compute_hotspots over the last INTEL_HOTSPOT_DAYS days). Each run replaces the
    district's previous list. The heat and its parts are those of suban.intel.hotspots."""

    district = models.ForeignKey(
        "org.Unit", verbose_name=_("district"), on_delete=models.CASCADE, related_name="intel_hotspots"
    )
    area = models.ForeignKey(
        "org.Unit", verbose_name=_("place"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    area_path = models.CharField(_("place path"), max_length=400, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)  # street · community, as people say it
    title = models.CharField(_("title"), max_length=200)
    keywords = models.JSONField(_("keywords"), default=list, blank=True)
    first_at = models.DateTimeField(_("first request"))
    last_at = models.DateTimeField(_("last request"))
    period_start = models.DateTimeField(_("period from"))
    period_end = models.DateTimeField(_("period to"))
    score = models.FloatField(_("heat"))
    reporters = models.PositiveIntegerField(_("reporters"))
    support = models.FloatField(_("support"))
    recency = models.FloatField(_("recency"))
    spread = models.PositiveIntegerField(_("spread"))
    size = models.PositiveIntegerField(_("requests"))
    rank = models.PositiveIntegerField(_("rank"))
    computed_at = models.DateTimeField(_("computed"))
    cases = models.ManyToManyField("cases.Case", verbose_name=_("cases"), related_name="intel_hotspots")

    class Meta:
        verbose_name = _("hotspot")
        verbose_name_plural = _("hotspots")
        ordering = ["district", "rank"]
        indexes = [models.Index(fields=["district", "rank"], name="intel_hotspot_rank")]

    def __str__(self) -> str:
        return self.title
