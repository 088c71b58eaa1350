"""The case (诉求 / 工单). Only what scoping needs so far; the case engine builds on it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from suban.org.models import Unit


class Case(models.Model):
    number = models.CharField(_("case number"), max_length=20, unique=True)
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("text"), blank=True)
    unit = models.ForeignKey(
        Unit, verbose_name=_("lead unit"), null=True, blank=True, on_delete=models.PROTECT, related_name="cases"
    )
    grid = models.ForeignKey(
        Unit, verbose_name=_("grid"), null=True, blank=True, on_delete=models.PROTECT, related_name="located_cases"
    )
    citizen = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("citizen"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")

    def __str__(self) -> str:
        return f"{self.number} {self.title}"
