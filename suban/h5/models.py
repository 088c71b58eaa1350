"""The citizen H5's own data: the keys that make a form submitted twice create one case, and the
convenience services (便民服务) a citizen may ask the community to handle for them (代办)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from suban.cases.models import Case
from suban.catalogue.models import Matter
from suban.org.models import Unit


class SubmitKey(models.Model):
    """One rendered form (its hidden UUID) of one citizen, and the case it created. A retry after a dropped
    connection brings the same key back and finds the case instead of creating a second one."""

    citizen = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("citizen"), on_delete=models.CASCADE, related_name="+"
    )
    key = models.UUIDField(_("form key"))
    case = models.ForeignKey(Case, verbose_name=_("case"), null=True, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("submission key")
        verbose_name_plural = _("submission keys")
        constraints = [models.UniqueConstraint(fields=["citizen", "key"], name="h5_submitkey_unique")]
        indexes = [models.Index(fields=["created_at"], name="h5_submitkey_created")]  # the nightly purge

    def __str__(self) -> str:
        return str(self.key)


class ConvenienceService(models.Model):
    """A service the district handles for residents on request (代办), e.g. the old-age allowance."""

    name = models.CharField(_("name"), max_length=60, unique=True)
    summary = models.TextField(_("summary"), help_text=_("What the service is, in a few sentences."))
    eligibility = models.TextField(_("who may apply"), blank=True)
    materials = models.TextField(_("materials needed"), blank=True, help_text=_("One item a line."))
    matter = models.ForeignKey(
        Matter,
        verbose_name=_("matter"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The catalogue matter a proxy-handling request is filed under."),
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("responsible unit"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    is_active = models.BooleanField(_("active"), default=True)
    sort_order = models.IntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("convenience service")
        verbose_name_plural = _("convenience services")
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def material_list(self) -> list[str]:
        return [line.strip(" -·•\t") for line in self.materials.splitlines() if line.strip(" -·•\t")]
