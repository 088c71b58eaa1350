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
