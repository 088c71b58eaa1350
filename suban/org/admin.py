from __future__ import annotations

import json
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from suban.adminsite import AuditedAdmin
from suban.errors import DomainError
from suban.org.geometry import parse_boundary
from suban.org.models import Place, Unit, UnitContact
from suban.org.services import check_parent, unit_create, unit_deactivate, unit_move, unit_set_boundary, unit_update

PLAIN_FIELDS = ["name", "special_kind", "address", "phone", "aliases", "is_active", "sort_order"]


class UnitForm(forms.ModelForm):
    class Meta:
        model = Unit
        fields = ["code", "name", "kind", "special_kind", "parent", *PLAIN_FIELDS[2:], "boundary"]
        widgets = {"boundary": forms.Textarea(attrs={"rows": 4, "cols": 80})}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = data.get("kind") or (self.instance.kind if self.instance.pk else None)
        if kind:
            try:
                check_parent(kind, data.get("parent"))
            except DomainError as exc:
                self.add_error("parent", exc.message)
            if self.instance.pk and data.get("parent") and data["parent"].path.startswith(self.instance.path):
                self.add_error("parent", _("A unit cannot move under itself or its own subtree."))
        if data.get("boundary") is not None:
            try:
                parse_boundary(data["boundary"])
            except DomainError as exc:
                self.add_error("boundary", exc.message)
        return data


class UnitContactInline(admin.TabularInline):
    model = UnitContact
    extra = 0
    max_num = 3


class PlaceInline(admin.TabularInline):
    model = Place
    extra = 0


@admin.register(Unit)
class UnitAdmin(AuditedAdmin):
    form = UnitForm
    list_display = ["name", "code", "kind", "parent", "is_active", "has_boundary"]
    list_filter = ["kind", "special_kind", "is_active"]
    search_fields = ["name", "code", "aliases"]
    list_select_related = ["parent"]
    autocomplete_fields = ["parent"]
    readonly_fields = ["path", "depth", "boundary_updated_at"]
    inlines = [UnitContactInline, PlaceInline]
    actions = ["deactivate"]
    list_per_page = 50

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        # Codes make up the paths below a unit, and its kind fixes its place: both are set once.
        return [*self.readonly_fields, "code", "kind"] if obj is not None else list(self.readonly_fields)

    @admin.display(boolean=True, description=gettext_lazy("boundary"))
    def has_boundary(self, obj: Unit) -> bool:
        return obj.boundary is not None

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # units are deactivated, never deleted: cases and people point at them

    def save_model(self, request: HttpRequest, obj: Unit, form: Any, change: bool) -> None:
        data = form.cleaned_data
        with transaction.atomic():
            if not change:
                created = unit_create(
                    by=request.user,
                    code=data["code"],
                    kind=data["kind"],
                    parent=data.get("parent"),
                    boundary=data.get("boundary"),
                    **{f: data[f] for f in PLAIN_FIELDS if f in data},
                )
                obj.pk, obj.path, obj.depth = created.pk, created.path, created.depth
                return
            current = Unit.objects.get(pk=obj.pk)
            unit_update(by=request.user, unit=current, **{f: data[f] for f in PLAIN_FIELDS if f in data})
            if data.get("parent") != current.parent:
                unit_move(by=request.user, unit=current, parent=data["parent"])
            if json.dumps(data.get("boundary"), sort_keys=True) != json.dumps(current.boundary, sort_keys=True):
                unit_set_boundary(by=request.user, unit=current, boundary=data.get("boundary"))
            obj.refresh_from_db()

    @admin.action(description=gettext_lazy("Deactivate the selected units and everything under them"))
    def deactivate(self, request: HttpRequest, queryset: Any) -> None:
        for unit in queryset:
            unit_deactivate(by=request.user, unit=unit)
        messages.success(request, _("%(n)d units deactivated.") % {"n": queryset.count()})


@admin.register(Place)
class PlaceAdmin(AuditedAdmin):
    list_display = ["name", "kind", "unit"]
    list_filter = ["kind"]
    search_fields = ["name", "unit__name"]
    autocomplete_fields = ["unit"]


@admin.register(UnitContact)
class UnitContactAdmin(AuditedAdmin):
    list_display = ["unit", "kind", "name", "title", "phone"]
    list_filter = ["kind"]
    search_fields = ["name", "unit__name"]
    autocomplete_fields = ["unit"]
