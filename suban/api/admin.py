"""API tokens in the admin: seen and revoked here, created only with `manage.py api_token create`
(the key is shown once, on the operator's terminal)."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from suban.admin_readonly import ReadOnlyMixin
from suban.api.models import ApiToken
from suban.api.services import token_revoke


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["prefix", "name", "user", "created_at", "last_used_at", "expires_at", "revoked"]
    list_filter = ["revoked"]
    search_fields = ["prefix", "name", "user__username", "user__name"]
    list_select_related = ["user"]
    fields = readonly_fields = (
        "prefix",
        "name",
        "user",
        "created_at",
        "last_used_at",
        "expires_at",
        "revoked",
        "revoked_at",
    )
    actions = ["revoke"]

    def has_revoke_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("api.revoke_apitoken")

    @admin.action(description=gettext_lazy("Revoke the selected tokens"), permissions=["revoke"])
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        tokens = list(queryset.filter(revoked=False).select_related("user"))
        for token in tokens:
            token_revoke(by=request.user, token=token)
        self.message_user(request, _("%(count)d tokens revoked.") % {"count": len(tokens)}, messages.SUCCESS)
