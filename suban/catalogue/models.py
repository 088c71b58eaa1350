"""The matter catalogue (事项清单) and the responsibility list (责任清单): matter → unit at each level."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class CaseType(models.TextChoices):
    LIVELIHOOD = "livelihood", _("Livelihood")  # 民生
    DEVELOPMENT = "development", _("Development")  # 发展
    ENFORCEMENT = "enforcement", _("Law enforcement")  # 执法


class Level(models.TextChoices):
    """The levels a case is handled at, lowest first."""

    GRID = "grid", _("Grid")
    COMMUNITY = "community", _("Community")
    STREET = "street", _("Street")
    DEPARTMENT = "department", _("Department")
    DISTRICT = "district", _("District")


LEVEL_ORDER = [Level.GRID, Level.COMMUNITY, Level.STREET, Level.DEPARTMENT, Level.DISTRICT]


class Matter(models.Model):
    """One node of the multi-level catalogue (一级/二级/三级分类)."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    level = models.PositiveSmallIntegerField(_("level"), default=1)
    # "一级/二级/三级" names joined with " / ", for search and display.
    full_name = models.CharField(_("full name of the matter"), max_length=300, db_index=True)
    keywords = models.CharField(_("keywords"), max_length=300, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    sort_order = models.IntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("matter")
        verbose_name_plural = _("matter catalogue")
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.full_name or self.name


class Responsibility(models.Model):
    """Who handles a matter: the start level, and the department when it goes to one.

    A matter without a row of its own uses its parent's, and so on up; community and street levels
    resolve to the community or street of the case's place.
    """

    matter = models.OneToOneField(
        Matter, verbose_name=_("matter"), on_delete=models.CASCADE, related_name="responsibility"
    )
    start_level = models.CharField(_("start level"), max_length=12, choices=Level.choices, blank=True)
    department = models.ForeignKey(
        "org.Unit",
        verbose_name=_("responsible department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        limit_choices_to={"kind": "department"},
        related_name="responsibilities",
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("responsibility")
        verbose_name_plural = _("responsibility list")

    def __str__(self) -> str:
        return f"{self.matter} → {self.department or self.get_start_level_display()}"


class StartLevel(models.Model):
    """Where a case of a type starts when its matter says nothing (民生 at the community, 发展/执法 at the street)."""

    case_type = models.CharField(_("type"), max_length=12, choices=CaseType.choices, unique=True)
    level = models.CharField(_("start level"), max_length=12, choices=Level.choices)

    class Meta:
        verbose_name = _("start level by type")
        verbose_name_plural = _("start levels by type")

    def __str__(self) -> str:
        return f"{self.get_case_type_display()} → {self.get_level_display()}"
