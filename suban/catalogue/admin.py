"""The matter catalogue, the responsibility list and the start levels in the admin (configuration: saved
by the admin itself, every change recorded in the audit chain by AuditedAdmin)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from suban.adminsite import AuditedAdmin
from suban.catalogue.models import Matter, Responsibility, StartLevel
from suban.catalogue.services import (
    MAX_DEPTH,
    check_responsibility,
    check_start_level,
    derive_names,
    refresh_descendants,
)
from suban.errors import DomainError


class ResponsibilityForm(forms.ModelForm):
    class Meta:
        model = Responsibility
        fields = ["matter", "start_level", "department", "note"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        try:
            check_responsibility(data.get("start_level", ""), data.get("department"))
        except DomainError as exc:
            self.add_error(exc.field if exc.field in self.fields else None, exc.message)
        return data


class ResponsibilityInline(admin.StackedInline):
    model = Responsibility
    form = ResponsibilityForm
    fields = ["start_level", "department", "note"]
    autocomplete_fields = ["department"]
    extra = 0
    max_num = 1


class MatterForm(forms.ModelForm):
    class Meta:
        model = Matter
        fields = ["code", "name", "parent", "keywords", "is_active", "sort_order"]

    def clean_parent(self) -> Matter | None:
        parent: Matter | None = self.cleaned_data.get("parent")
        ancestor, depth = parent, 1
        while ancestor is not None:
            if self.instance.pk and ancestor.pk == self.instance.pk:
                raise forms.ValidationError(_("A matter cannot sit under itself or under a matter below it."))
            ancestor, depth = ancestor.parent, depth + 1
        if depth > MAX_DEPTH:
            raise forms.ValidationError(_("The catalogue is at most %(n)d levels deep.") % {"n": MAX_DEPTH})
        return parent


@admin.register(Matter)
class MatterAdmin(AuditedAdmin):
    form = MatterForm
    list_display = ["tree_name", "code", "level", "responsible", "is_active"]
    list_filter = ["level", "is_active", "responsibility__start_level"]
    search_fields = ["code", "name", "full_name", "keywords"]
    ordering = ["code"]
    list_select_related = ["responsibility__department"]
    autocomplete_fields = ["parent"]
    readonly_fields = ["level", "path_name"]
    inlines = [ResponsibilityInline]
    list_per_page = 100

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        # The code is set once: it identifies the node outside the database (exports, other systems).
        return [*self.readonly_fields, "code"] if obj is not None else list(self.readonly_fields)

    @admin.display(description=gettext_lazy("name"), ordering="code")
    def tree_name(self, obj: Matter) -> str:
        return "\u3000" * (obj.level - 1) + obj.name

    @admin.display(description=gettext_lazy("path in the catalogue"))
    def path_name(self, obj: Matter) -> str:
        return obj.full_name

    @admin.display(description=gettext_lazy("responsibility"))
    def responsible(self, obj: Matter) -> str:
        row = getattr(obj, "responsibility", None)
        if row is None:
            return ""
        return str(row.department or row.get_start_level_display())

    def save_model(self, request: HttpRequest, obj: Matter, form: Any, change: bool) -> None:
        with transaction.atomic():
            derive_names(obj)
            super().save_model(request, obj, form, change)
            if change and {"name", "parent"} & set(form.changed_data):
                refresh_descendants(obj)


@admin.register(Responsibility)
class ResponsibilityAdmin(AuditedAdmin):
    form = ResponsibilityForm
    list_display = ["matter", "start_level", "department", "note"]
    list_filter = ["start_level", "matter__level"]
    search_fields = ["matter__code", "matter__full_name", "department__name", "note"]
    ordering = ["matter__code"]
    list_select_related = ["matter", "department"]
    autocomplete_fields = ["matter", "department"]


class StartLevelForm(forms.ModelForm):
    class Meta:
        model = StartLevel
        fields = ["case_type", "level"]

    def clean_level(self) -> str:
        level: str = self.cleaned_data.get("level", "")
        try:
            check_start_level(level)
        except DomainError as exc:
            raise forms.ValidationError(exc.message) from None
        return level


@admin.register(StartLevel)
class StartLevelAdmin(AuditedAdmin):
    form = StartLevelForm
    list_display = ["case_type", "level"]
    ordering = ["case_type"]
