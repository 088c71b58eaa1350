"""Convenience services in the admin: the system admin keeps the list the H5 offers."""

from __future__ import annotations

from django.contrib import admin

from suban.adminsite import AuditedAdmin
from suban.h5.models import ConvenienceService


@admin.register(ConvenienceService)
class ConvenienceServiceAdmin(AuditedAdmin):
    list_display = ["name", "matter", "unit", "is_active", "sort_order"]
    list_editable = ["is_active", "sort_order"]
    list_filter = ["is_active"]
    search_fields = ["name", "summary"]
    autocomplete_fields = ["matter", "unit"]
    fields = ["name", "summary", "eligibility", "materials", "matter", "unit", "is_active", "sort_order"]
