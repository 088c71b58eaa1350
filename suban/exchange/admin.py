"""Sources and their mappings in the admin (the system admin binds a source to its API account); batches and
records are read only there: they are written by imports."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from suban.exchange.models import ColumnMapping, ExchangeRecord, ImportBatch, Source


class MappingInline(admin.StackedInline):
    model = ColumnMapping
    extra = 0


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ["name", "label", "kind", "account", "created_at"]
    list_filter = ["kind"]
    search_fields = ["name", "label"]
    raw_id_fields = ["account"]
    inlines = [MappingInline]


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ImportBatch)
class ImportBatchAdmin(ReadOnly):
    list_display = ["file_name", "source", "state", "rows", "created", "duplicates", "failed", "by", "created_at"]
    list_filter = ["state", "historical", "source"]


@admin.register(ExchangeRecord)
class ExchangeRecordAdmin(ReadOnly):
    list_display = ["ref", "source", "case", "historical", "assessable", "created_at"]
    list_filter = ["historical", "source"]
    search_fields = ["ref", "case__number"]
    raw_id_fields = ["case", "batch"]
