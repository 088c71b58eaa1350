"""The assessment's configuration in the admin: the composite weights (one row) and the exclusion rules. A
change applies to new events at once; `python manage.py rebuild_assessment` applies it to the history."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.http import HttpRequest
from django.utils.translation import gettext as _

from suban.admin_readonly import ReadOnlyMixin
from suban.adminsite import AuditedAdmin
from suban.assess.models import AssessmentConfig, ExclusionRule, Ruling

REBUILD_HINT = "python manage.py rebuild_assessment"


def _hint(request: HttpRequest) -> None:
    messages.info(
        request,
        _("Saved. New figures use it at once; run %(command)s to recompute the history with it.")
        % {"command": REBUILD_HINT},
    )


@admin.register(AssessmentConfig)
class AssessmentConfigAdmin(AuditedAdmin):
    list_display = [
        "__str__",
        "response_weight",
        "on_time_reply_weight",
        "completion_weight",
        "resolution_weight",
        "satisfaction_weight",
        "basically_weight",
        "updated_at",
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return not AssessmentConfig.objects.exists() and super().has_add_permission(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: AssessmentConfig, form: Any, change: bool) -> None:
        obj.pk = 1  # the one row
        super().save_model(request, obj, form, change)


@admin.register(ExclusionRule)
class ExclusionRuleAdmin(AuditedAdmin):
    list_display = ["__str__", "reason", "is_active", "updated_at"]
    list_filter = ["field", "is_active"]

    def save_model(self, request: HttpRequest, obj: ExclusionRule, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        _hint(request)


@admin.register(Ruling)
class RulingAdmin(ReadOnlyMixin, AuditedAdmin):
    """Rulings are made by supervisors in the console; the admin only shows them."""

    list_display = ["case", "reason", "by", "at"]
    list_filter = ["reason"]
    readonly_fields = ["case", "reason", "note", "by", "at"]
