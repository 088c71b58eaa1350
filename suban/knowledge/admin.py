"""The knowledge base in the admin: the synonyms search folds together are configuration (kept by the system
admin, every change in the audit chain); articles are written and reviewed in the console, and only shown
here."""

from __future__ import annotations

from django.contrib import admin

from suban.admin_readonly import ReadOnlyMixin
from suban.adminsite import AuditedAdmin
from suban.knowledge.models import Article, ArticleVersion, Synonym


@admin.register(Synonym)
class SynonymAdmin(AuditedAdmin):
    list_display = ["words", "updated_at"]
    search_fields = ["words"]


class VersionInline(ReadOnlyMixin, admin.TabularInline):
    model = ArticleVersion
    fields = readonly_fields = ("number", "state", "title", "written_by", "written_at", "reviewed_by", "reviewed_at")
    extra = 0
    show_change_link = False


@admin.register(Article)
class ArticleAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["__str__", "owner", "status", "uses", "updated_at"]
    list_filter = ["status"]
    search_fields = ["live__title", "pending__title"]
    list_select_related = ["owner", "live", "pending"]
    inlines = [VersionInline]
