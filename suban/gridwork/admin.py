"""Patrols, the work log and grid reports in the admin: read-only, for the auditor."""

from __future__ import annotations

from django.contrib import admin

from suban.admin_readonly import ReadOnlyMixin
from suban.adminsite import AuditedAdmin
from suban.gridwork.models import GridReport, Patrol, WorkLogEntry


@admin.register(Patrol)
class PatrolAdmin(ReadOnlyMixin, AuditedAdmin):
    list_display = ("worker", "grid", "started_at", "ended_at", "distance_m", "photo_count")
    list_filter = ("started_at",)
    search_fields = ("worker__username", "worker__name", "grid__name", "grid__code")
    date_hierarchy = "started_at"
    list_select_related = ("worker", "grid")
    fields = readonly_fields = ("worker", "grid", "started_at", "ended_at", "distance_m", "photo_count", "note")


@admin.register(WorkLogEntry)
class WorkLogEntryAdmin(ReadOnlyMixin, AuditedAdmin):
    list_display = ("date", "worker", "grid", "kind", "case")
    list_filter = ("kind", "date")
    search_fields = ("worker__username", "worker__name", "grid__name", "text", "case__number")
    date_hierarchy = "date"
    list_select_related = ("worker", "grid", "case")
    fields = readonly_fields = ("date", "worker", "grid", "kind", "text", "case", "created_at")


@admin.register(GridReport)
class GridReportAdmin(ReadOnlyMixin, AuditedAdmin):
    list_display = ("case", "worker", "grid", "solved_on_spot", "located_by", "created_at")
    list_filter = ("solved_on_spot", "located_by")
    search_fields = ("case__number", "worker__username", "grid__name")
    list_select_related = ("case", "worker", "grid")
    fields = readonly_fields = ("case", "worker", "grid", "patrol", "solved_on_spot", "solution", "located_by")
