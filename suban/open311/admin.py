"""Open311 keys in the admin: seen, renamed, given another rate limit, switched off (revoked). A key is
created with `manage.py open311_key create`, which shows it once on the operator's terminal."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from suban.admin_readonly import ReadOnlyMixin
from suban.open311.keys import key_revoke
from suban.open311.models import ApiKey, Submission


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    list_display = ["prefix", "name", "active", "rate_limit", "created_at", "last_used_at"]
    list_filter = ["active"]
    search_fields = ["prefix", "name"]
    fields = ["prefix", "name", "rate_limit", "active", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["prefix", "active", "created_at", "last_used_at", "revoked_at"]
    actions = ["revoke"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # its submissions keep pointing at it

    @admin.action(description=gettext_lazy("Revoke the selected keys"), permissions=["change"])
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiKey]) -> None:
        keys = list(queryset.filter(active=True))
        for key in keys:
            key_revoke(by=request.user, key=key)
        self.message_user(request, _("%(count)d keys revoked.") % {"count": len(keys)}, messages.SUCCESS)


@admin.register(Submission)
class SubmissionAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["case", "key", "token", "created_at"]
    list_select_related = ["case", "key"]
    search_fields = ["case__number", "token"]
    fields = readonly_fields = ("case", "key", "token", "media_url", "media", "attributes", "account_id", "created_at")
