"""The organisation (一张网格): district → street → community → grid, special grids and departments."""

from __future__ import annotations

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class UnitKind(models.TextChoices):
    DISTRICT = "district", _("District")
    STREET = "street", _("Street / town")
    COMMUNITY = "community", _("Community / village")
    GRID = "grid", _("Basic grid")
    SPECIAL_GRID = "special_grid", _("Special grid")
    DEPARTMENT = "department", _("Department")


# Which kind of unit may sit under which: the shape of the tree, in one place.
ALLOWED_PARENTS: dict[str, set[str | None]] = {
    UnitKind.DISTRICT: {None},
    UnitKind.STREET: {UnitKind.DISTRICT},
    UnitKind.COMMUNITY: {UnitKind.STREET},
    UnitKind.GRID: {UnitKind.COMMUNITY},
    UnitKind.SPECIAL_GRID: {UnitKind.COMMUNITY, UnitKind.STREET},
    # A department sits under the district; its sections (科室) under the department.
    UnitKind.DEPARTMENT: {UnitKind.DISTRICT, UnitKind.DEPARTMENT},
}

GRID_KINDS = (UnitKind.GRID, UnitKind.SPECIAL_GRID)


class SpecialGridKind(models.TextChoices):
    OFFICE_BUILDING = "office_building", _("Office building")
    SCHOOL = "school", _("School")
    AGENCY = "agency", _("Government agency")
    ENTERPRISE = "enterprise", _("Enterprise")
    UTILITY = "utility", _("Utility")
    MARKET = "market", _("Market / commercial area")
    SCENIC = "scenic", _("Scenic or protected area")
    OTHER = "other", _("Other")


code_validator = RegexValidator(r"^[A-Za-z0-9_-]{1,32}$", _("Use 1 to 32 letters, digits, hyphens or underscores."))


class Unit(models.Model):
    code = models.CharField(_("code"), max_length=32, unique=True, validators=[code_validator])
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=16, choices=UnitKind.choices)
    special_kind = models.CharField(_("special grid kind"), max_length=20, choices=SpecialGridKind.choices, blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    # Materialised path of codes, "/district/street/community/": a subtree is one indexed prefix match.
    path = models.CharField(_("path"), max_length=400, db_index=True, editable=False)
    depth = models.PositiveSmallIntegerField(_("depth"), editable=False, default=0)
    # GeoJSON geometry (Polygon or MultiPolygon, WGS84 longitude/latitude) for grids and areas.
    boundary = models.JSONField(_("boundary"), null=True, blank=True)
    boundary_updated_at = models.DateTimeField(_("boundary updated"), null=True, blank=True, db_index=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    phone = models.CharField(_("office phone"), max_length=40, blank=True)
    aliases = models.CharField(
        _("other names"), max_length=300, blank=True, help_text=_("Comma-separated, used to match addresses.")
    )
    is_active = models.BooleanField(_("active"), default=True)
    sort_order = models.IntegerField(_("order"), default=0)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["path"]
        indexes = [models.Index(fields=["kind", "path"])]

    def __str__(self) -> str:
        return self.name

    @property
    def is_grid(self) -> bool:
        return self.kind in GRID_KINDS

    def ancestor_codes(self) -> list[str]:
        return [c for c in self.path.split("/") if c]

    def ancestors(self) -> models.QuerySet[Unit]:
        """Ancestors and the unit itself, root first."""
        return Unit.objects.filter(code__in=self.ancestor_codes()).order_by("depth")

    def descendants(self, include_self: bool = True) -> models.QuerySet[Unit]:
        qs = Unit.objects.filter(path__startswith=self.path)
        return qs if include_self else qs.exclude(pk=self.pk)

    def contains(self, other: Unit) -> bool:
        return other.path.startswith(self.path)

    def ancestor_of_kind(self, kind: str) -> Unit | None:
        return self.ancestors().filter(kind=kind).last()


class ContactKind(models.TextChoices):
    LEADER = "leader", _("Leader in charge")
    SECTION = "section", _("Responsible section")
    PERSON = "person", _("Contact person")


class UnitContact(models.Model):
    """A department's "1+1+1": a leader, a section and a person."""

    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="contacts")
    kind = models.CharField(_("kind"), max_length=10, choices=ContactKind.choices)
    name = models.CharField(_("name"), max_length=100)
    title = models.CharField(_("title"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("1+1+1 contact")
        verbose_name_plural = _("1+1+1 contacts")
        constraints = [models.UniqueConstraint(fields=["unit", "kind"], name="org_contact_one_per_kind")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.name}"


class PlaceKind(models.TextChoices):
    COMPOUND = "compound", _("Residential compound")
    ROAD = "road", _("Road")
    BUILDING = "building", _("Building")
    LANDMARK = "landmark", _("Landmark")
    VILLAGE = "village", _("Natural village")


class Place(models.Model):
    """A named place (小区, road, landmark) that belongs to a unit, for matching address text."""

    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=10, choices=PlaceKind.choices, default=PlaceKind.COMPOUND)
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="places")
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("place name")
        verbose_name_plural = _("place names")
        constraints = [models.UniqueConstraint(fields=["name", "unit"], name="org_place_unique_per_unit")]

    def __str__(self) -> str:
        return self.name
