from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import password_validators_help_text_html
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from suban import crypto
from suban.accounts.lockout import login_alert_end
from suban.accounts.lockout import window as lockout_window
from suban.accounts.models import AccountKind, LoginAlert, User
from suban.accounts.roles import AdminRole, Role
from suban.accounts.services import (
    account_set_active,
    check_roles,
    staff_create,
    staff_set_admin_role,
    staff_set_roles,
    staff_update,
)
from suban.adminsite import AuditedAdmin
from suban.errors import DomainError

admin.site.unregister(Group)  # permissions come from the admin-role table, not from groups


class StaffForm(forms.ModelForm):
    roles = forms.MultipleChoiceField(
        label=gettext_lazy("roles"), choices=Role.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    phone = forms.CharField(label=gettext_lazy("phone"), required=False, max_length=20)
    password = forms.CharField(
        label=gettext_lazy("initial password"),
        required=False,
        widget=forms.PasswordInput(render_value=False),
        help_text=password_validators_help_text_html(),
    )

    class Meta:
        model = User
        fields = ["username", "name", "unit", "admin_role", "is_active"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["roles"].initial = sorted(self.instance.staff_roles.values_list("role", flat=True))
            self.fields["phone"].initial = self.instance.phone
            self.fields.pop("password", None)

    def clean_phone(self) -> str:
        raw = self.cleaned_data.get("phone", "")
        if not raw:
            return ""
        try:
            return crypto.normalize_phone(raw)
        except DomainError as exc:
            raise forms.ValidationError(exc.message) from None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        admin_role = data.get("admin_role", self.instance.admin_role)
        if admin_role and data.get("roles"):
            self.add_error("roles", _("An account with an admin role cannot hold work roles."))
        elif data.get("roles"):
            try:
                check_roles(data["roles"], data.get("unit"))
            except DomainError as exc:
                self.add_error("roles", exc.message)
        return data


@admin.register(User)
class AccountAdmin(AuditedAdmin):
    form = StaffForm
    list_display = ["account", "name", "kind", "unit", "role_list", "admin_role", "shown_phone", "is_active"]
    list_filter = ["kind", "admin_role", "is_active", "staff_roles__role"]
    search_fields = ["username", "name", "unit__name"]
    autocomplete_fields = ["unit"]
    list_select_related = ["unit"]
    readonly_fields = ["last_login", "date_joined"]
    change_password_form = UserAdmin.change_password_form
    change_user_password_template = None
    list_per_page = 50

    def get_urls(self) -> list[Any]:
        # Reuse Django's own "change password" page for staff accounts.
        from django.urls import path

        user_admin = UserAdmin(User, self.admin_site)
        return [
            path("<id>/password/", self.admin_site.admin_view(user_admin.user_change_password)),
            *super().get_urls(),
        ]

    def get_queryset(self, request: HttpRequest) -> Any:
        return super().get_queryset(request).prefetch_related("staff_roles")

    @admin.display(description=gettext_lazy("account"), ordering="username")
    def account(self, obj: User) -> str:
        """A citizen's username is a digest (c_…) that means nothing to a reader: "群众 138****0001" instead."""
        return str(obj) if obj.kind == AccountKind.CITIZEN else obj.username

    @admin.display(description=gettext_lazy("roles"))
    def role_list(self, obj: User) -> str:
        return "、".join(str(Role(r.role).label) for r in obj.staff_roles.all())

    @admin.display(description=gettext_lazy("phone"))
    def shown_phone(self, obj: User) -> str:
        return obj.masked_phone

    def get_fields(self, request: HttpRequest, obj: Any = None) -> list[Any]:
        if obj is not None and obj.kind == AccountKind.CITIZEN:
            return ["account", "kind", "is_active", "last_login", "date_joined"]
        fields = ["username", "name", "unit", "roles", "admin_role", "phone", "is_active"]
        if obj is None:
            fields.append("password")
        else:
            fields += ["last_login", "date_joined"]
        return fields

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        readonly = list(self.readonly_fields)
        if obj is not None:
            readonly.append("username")
            if obj.kind == AccountKind.CITIZEN:
                readonly += ["kind", "account"]
        if getattr(request.user, "admin_role", "") != AdminRole.SECURITY:
            readonly.append("admin_role")  # only the security admin hands out admin roles
        return readonly

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # accounts are disabled, never deleted: the audit trail points at them

    def save_model(self, request: HttpRequest, obj: User, form: Any, change: bool) -> None:
        data = form.cleaned_data
        by = request.user
        with transaction.atomic():
            if not change:
                created = staff_create(
                    by=by,
                    username=data["username"],
                    name=data.get("name", ""),
                    unit=data.get("unit"),
                    roles=data.get("roles", []),
                    phone=data.get("phone", ""),
                    password=data.get("password") or None,
                    admin_role=data.get("admin_role", ""),
                )
                obj.pk = created.pk
                return
            current = User.objects.get(pk=obj.pk)
            if current.kind == AccountKind.STAFF:
                staff_update(by=by, user=current, name=data.get("name", current.name), phone=data.get("phone", ""))
                if "admin_role" in data and data["admin_role"] != current.admin_role:
                    staff_set_admin_role(by=by, user=current, admin_role=data["admin_role"])
                if not current.admin_role:
                    staff_set_roles(by=by, user=current, roles=data.get("roles", []), unit=data.get("unit"))
            if data.get("is_active", current.is_active) != current.is_active:
                account_set_active(by=by, user=current, active=data["is_active"])
            obj.refresh_from_db()


@admin.register(LoginAlert)
class LoginAlertAdmin(admin.ModelAdmin):
    """Accounts whose passwords someone guessed at from several addresses (suban.accounts.lockout). Nobody
    edits an alert; the security admin ends one, which also lifts the account's locks."""

    list_display = [
        "username",
        "state",
        "started_at",
        "last_attempt_at",
        "failures",
        "addresses",
        "refused",
        "notified",
        "ended_at",
        "lockouts",
    ]
    search_fields = ["username"]
    date_hierarchy = "started_at"
    actions = ["end_alerts"]
    readonly_fields = fields = (
        "username",
        "started_at",
        "last_attempt_at",
        "failures",
        "addresses",
        "refused",
        "notified",
        "ended_at",
    )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return obj is None and super().has_change_permission(request)  # the action only, never the form

    @admin.display(description=gettext_lazy("state"))
    def state(self, obj: LoginAlert) -> str:
        if obj.ended_at is None and obj.last_attempt_at >= timezone.now() - lockout_window():
            return _("Under attack")
        return _("Ended")

    @admin.display(description=gettext_lazy("lockouts"))
    def lockouts(self, obj: LoginAlert) -> str:
        url = reverse("admin:axes_accessattempt_changelist") + "?" + urlencode({"q": obj.username})
        return format_html('<a href="{}">{}</a>', url, _("Locked addresses"))

    @admin.action(permissions=["change"], description=gettext_lazy("End the alert and lift the account's locks"))
    def end_alerts(self, request: HttpRequest, queryset: Any) -> None:
        cleared = sum(login_alert_end(by=request.user, alert=alert) for alert in queryset)
        self.message_user(
            request,
            _("%(count)d alerts ended, %(locks)d lock records cleared.")
            % {"count": queryset.count(), "locks": cleared},
        )
