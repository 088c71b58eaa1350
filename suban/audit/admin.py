from __future__ import annotations

from typing import Any

from django.apps import apps
from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from suban.admin_readonly import ReadOnlyMixin
from suban.audit.labels import action_label
from suban.audit.models import AuditEntry


class ActionFilter(admin.SimpleListFilter):
    """The actions met in the log, by their words (the stored codes mean nothing to a reader)."""

    title = _("action")
    parameter_name = "action"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        codes = AuditEntry.objects.order_by().values_list("action", flat=True).distinct()
        return sorted(((code, action_label(code)) for code in codes), key=lambda pair: pair[1])

    def queryset(self, request: HttpRequest, queryset: QuerySet[AuditEntry]) -> QuerySet[AuditEntry]:
        return queryset.filter(action=self.value()) if self.value() else queryset


def target_type_label(value: str) -> str:
    """ "accounts.user" as the model's name (账号); a model since removed keeps its code."""
    try:
        return str(apps.get_model(value)._meta.verbose_name) if value else ""
    except (LookupError, ValueError):
        return value


class TargetTypeFilter(ActionFilter):
    title = _("object type")
    parameter_name = "target_type"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        types = AuditEntry.objects.order_by().exclude(target_type="").values_list("target_type", flat=True).distinct()
        return sorted(((t, target_type_label(t)) for t in types), key=lambda pair: pair[1])

    def queryset(self, request: HttpRequest, queryset: QuerySet[AuditEntry]) -> QuerySet[AuditEntry]:
        return queryset.filter(target_type=self.value()) if self.value() else queryset


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["seq", "at", "actor_name", "action_name", "target_type_name", "target_repr", "ip"]
    list_filter = [ActionFilter, TargetTypeFilter]
    search_fields = ["actor_name", "action", "target_repr", "target_id"]
    date_hierarchy = "at"
    readonly_fields = [f.name for f in AuditEntry._meta.fields]

    @admin.display(description=_("action"), ordering="action")
    def action_name(self, entry: AuditEntry) -> str:
        return action_label(entry.action)

    @admin.display(description=_("object type"), ordering="target_type")
    def target_type_name(self, entry: AuditEntry) -> str:
        return target_type_label(entry.target_type)
