"""The webhooks are configured here (the secret is written, never shown); deliveries and the platform's updates
are watched here, and failed deliveries sent again."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from suban.admin_readonly import ReadOnlyMixin
from suban.adminsite import AuditedAdmin
from suban.cases.labels import EVENT_LABELS
from suban.cases.lifecycle import ACTIONS
from suban.citysync.models import Delivery, IncomingUpdate, Webhook
from suban.citysync.services import FAILED, delivery_replay
from suban.errors import DomainError

# Every step a case event can record: the table's actions and the submission that opens a case.
EVENT_KINDS = ("submit", *ACTIONS)


class WebhookForm(forms.ModelForm):
    url = forms.URLField(
        label=gettext_lazy("address"),
        max_length=500,
        assume_scheme="https",
        help_text=gettext_lazy("Case events are POSTed here as JSON."),
    )
    new_secret = forms.CharField(
        label=gettext_lazy("secret"),
        required=False,
        min_length=16,
        widget=forms.PasswordInput(render_value=False),
        help_text=gettext_lazy(
            "At least 16 characters, shared with the platform; it signs both ways. Stored encrypted and never "
            "shown again; leave empty to keep the current one."
        ),
    )
    actions = forms.MultipleChoiceField(
        label=gettext_lazy("event kinds"),
        required=False,
        choices=[(kind, EVENT_LABELS.get(kind, kind)) for kind in EVENT_KINDS],  # stored as the codes
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("The case steps sent; none chosen: every step."),
    )

    class Meta:
        model = Webhook
        fields = [
            "code",
            "name",
            "url",
            "active",
            "actions",
            "scope_unit",
            "account",
            "max_attempts",
            "timeout",
        ]

    def clean_url(self) -> str:
        url: str = self.cleaned_data["url"]
        if not url.startswith(("https://", "http://")):
            raise forms.ValidationError(_("Give an http(s):// address."))
        return url

    def clean_account(self) -> Any:
        account = self.cleaned_data.get("account")
        if account is not None and (account.is_citizen or account.admin_role or not account.roles):
            raise forms.ValidationError(_("Choose a staff account with a work role and a unit."))
        return account

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        # A secret that was typed but refused has its own error already.
        if not self.instance.secret_encrypted and not data.get("new_secret") and "new_secret" not in self.errors:
            self.add_error("new_secret", _("A new webhook needs a secret."))
        return data

    def save(self, commit: bool = True) -> Webhook:
        webhook: Webhook = super().save(commit=False)
        if self.cleaned_data.get("new_secret"):
            webhook.set_secret(self.cleaned_data["new_secret"])
        if commit:
            webhook.save()
        return webhook


@admin.register(Webhook)
class WebhookAdmin(AuditedAdmin):
    form = WebhookForm
    list_display = ["code", "name", "url", "active", "scope_unit", "account", "failed_count"]
    list_filter = ["active"]
    search_fields = ["code", "name", "url"]
    raw_id_fields = ["scope_unit", "account"]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # turn a webhook off instead: its deliveries and updates stay on record

    @admin.display(description=gettext_lazy("failed deliveries"))
    def failed_count(self, obj: Webhook) -> int:
        return Delivery.objects.filter(webhook=obj).filter(FAILED).count()


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = [
        "created_at",
        "webhook",
        "case",
        "seq",
        "action",
        "status",
        "attempts",
        "next_attempt_at",
        "sent_at",
    ]
    list_filter = ["status", "webhook", "action"]
    search_fields = ["case__number", "uid"]
    list_select_related = ["webhook", "case"]
    date_hierarchy = "created_at"
    fields = readonly_fields = (
        "uid",
        "webhook",
        "case",
        "seq",
        "action",
        "status",
        "attempts",
        "max_attempts",
        "next_attempt_at",
        "claimed_at",
        "last_error",
        "sent_at",
        "created_at",
        "body",
    )
    actions = ["replay"]

    def has_replay_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("citysync.replay_delivery")

    @admin.action(description=gettext_lazy("Send the selected failed deliveries again"), permissions=["replay"])
    def replay(self, request: HttpRequest, queryset: QuerySet[Delivery]) -> None:
        try:
            rows = list(queryset.select_related(None).only("pk"))
            count = delivery_replay(by=request.user, rows=rows, via_admin=True)
        except DomainError as exc:
            self.message_user(request, exc.message, messages.ERROR)
            return
        self.message_user(request, _("%(count)d deliveries will be sent again.") % {"count": count}, messages.SUCCESS)


@admin.register(IncomingUpdate)
class IncomingUpdateAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["received_at", "source", "update_id", "action", "case_number", "state", "status_code", "tries"]
    list_filter = ["state", "source", "action"]
    search_fields = ["update_id", "case_number"]
    fields = readonly_fields = (
        "source",
        "update_id",
        "action",
        "case_number",
        "case",
        "state",
        "status_code",
        "response",
        "received_at",
        "tries",
    )
