"""Message templates are edited here (checked before they are saved); the outbox is watched here, with
addresses masked and login codes hidden, and failed messages are sent again."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.html import format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from suban import crypto
from suban.admin_readonly import ReadOnlyMixin
from suban.adminsite import AuditedAdmin
from suban.errors import DomainError
from suban.notify.engine import VARIABLES
from suban.notify.models import KEY_PREFIX, MessageTemplate, Outbox, OutboxStatus
from suban.notify.services import outbox_retry

VARIABLE_HELP = {
    "number": gettext_lazy("case number"),
    "title": gettext_lazy("case title"),
    "unit": gettext_lazy("the unit that receives the case (staff messages)"),
    "due": gettext_lazy('deadline, a date and time: {{ due|date:"n月j日 H:i" }}'),
    "code": gettext_lazy("login code"),
    "minutes": gettext_lazy("minutes the login code is valid; for an attack alert, the lockout window"),
    "reason": gettext_lazy("why a request is not accepted (for the not-accepted message)"),
    "username": gettext_lazy("the account under attack (attack alert)"),
    "failures": gettext_lazy("failed log-ins against it within the window (attack alert)"),
    "addresses": gettext_lazy("how many addresses they came from (attack alert)"),
    "site": gettext_lazy("site name"),
}


@admin.register(MessageTemplate)
class MessageTemplateAdmin(AuditedAdmin):
    list_display = ["code", "channel", "subject", "active", "updated_at"]
    list_filter = ["channel", "active"]
    search_fields = ["subject", "body"]
    fields = ["code", "channel", "subject", "body", "active", "variables", "updated_at"]
    readonly_fields = ["variables", "updated_at"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        fields = list(super().get_readonly_fields(request, obj))
        return [*fields, "code"] if obj is not None else fields

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # turn a message off instead: a deleted one would go out with its default text

    @admin.display(description=gettext_lazy("variables"))
    def variables(self, obj: MessageTemplate) -> str:
        return format_html_join(
            "", "<div><code>{{{{ {} }}}}</code> {}</div>", ((name, VARIABLE_HELP[name]) for name in VARIABLES)
        )


@admin.register(Outbox)
class OutboxAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["created_at", "template", "channel", "masked_to", "case", "status", "attempts", "sent_at"]
    list_filter = ["status", "channel", "template"]
    search_fields = ["case__number"]
    search_help_text = gettext_lazy(
        "Case number, the recipient's full phone number or email address, or the message key a gateway reported."
    )
    list_select_related = ["case"]
    date_hierarchy = "created_at"
    fields = readonly_fields = (
        "template",
        "channel",
        "masked_to",
        "recipient",
        "case",
        "subject",
        "shown_text",
        "status",
        "attempts",
        "max_attempts",
        "next_attempt_at",
        "claimed_at",
        "expires_at",
        "last_error",
        "sent_at",
        "created_at",
        "idempotency_key",
    )
    actions = ["retry"]

    def has_retry_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("notify.retry_outbox")

    def get_search_results(self, request: HttpRequest, queryset: QuerySet[Outbox], search_term: str) -> Any:
        """An address is stored encrypted: it is found by its keyed hash, so only the whole of it matches.
        A message key (suban-notify-<uuid>, or the uuid alone) finds its message."""
        term = search_term.strip()
        try:
            uid = uuid.UUID(term.removeprefix(KEY_PREFIX)) if term else None
        except ValueError:
            uid = None
        if uid is not None:
            return queryset.filter(uid=uid), False
        address = ""
        if "@" in term:
            address = term.lower()
        else:
            try:
                address = crypto.normalize_phone(term) if term else ""
            except DomainError:
                address = ""
        if address:
            return queryset.filter(to_hash=crypto.lookup_hash(address)), False
        return super().get_search_results(request, queryset, search_term)

    @admin.display(description=gettext_lazy("recipient address"))
    def masked_to(self, obj: Outbox) -> str:
        return obj.masked_to

    @admin.display(description=gettext_lazy("message key"))
    def idempotency_key(self, obj: Outbox) -> str:
        return obj.idempotency_key

    @admin.display(description=gettext_lazy("text"))
    def shown_text(self, obj: Outbox) -> str:
        if obj.sensitive:
            return _("(a login code: not shown)")
        return obj.body

    @admin.action(description=gettext_lazy("Send the selected failed messages again"), permissions=["retry"])
    def retry(self, request: HttpRequest, queryset: QuerySet[Outbox]) -> None:
        rows = list(queryset.filter(status=OutboxStatus.FAILED))
        count = outbox_retry(by=request.user, rows=rows)
        skipped = len(rows) - count
        self.message_user(request, _("%(count)d messages will be sent again.") % {"count": count}, messages.SUCCESS)
        if skipped:
            self.message_user(
                request,
                _("%(count)d login code messages cannot be sent again; the citizen asks for a new code.")
                % {"count": skipped},
                messages.WARNING,
            )
