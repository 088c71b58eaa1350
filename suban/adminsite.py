"""The admin site: in Chinese, open to the three admin roles only, each seeing what its table grants."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.base_user import AbstractBaseUser
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from suban.audit.services import audit_record


class AdminRoleLoginForm(AdminAuthenticationForm):
    def confirm_login_allowed(self, user: AbstractBaseUser) -> None:
        if not user.is_active or not getattr(user, "admin_role", ""):
            raise forms.ValidationError(
                _("This page is for the system, security and audit admins. Please log in with such an account."),
                code="invalid_login",
            )


class SubanAdminSite(admin.AdminSite):
    site_header = gettext_lazy("Suban administration")
    site_title = gettext_lazy("Suban administration")
    index_title = gettext_lazy("Master data and security")
    login_form = AdminRoleLoginForm

    def has_permission(self, request: HttpRequest) -> bool:
        user = request.user
        return bool(user.is_active and getattr(user, "admin_role", ""))


class AuditedAdmin(admin.ModelAdmin):
    """Every change made in the admin also lands in the audit chain."""

    def log_addition(self, request: HttpRequest, obj: Any, message: Any) -> Any:
        audit_record(action="admin.add", actor=request.user, target=obj, detail={"message": message}, request=request)
        return super().log_addition(request, obj, message)

    def log_change(self, request: HttpRequest, obj: Any, message: Any) -> Any:
        audit_record(
            action="admin.change", actor=request.user, target=obj, detail={"message": message}, request=request
        )
        return super().log_change(request, obj, message)

    def log_deletions(self, request: HttpRequest, queryset: Any) -> Any:
        for obj in queryset:
            audit_record(action="admin.delete", actor=request.user, target=obj, request=request)
        return super().log_deletions(request, queryset)
