"""Cases in the admin: read-only (a case changes only through suban.cases.services), the contact phone
masked. The deadline policies are configuration, edited here by the system admin."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from suban.admin_readonly import ReadOnlyMixin
from suban.adminsite import AuditedAdmin
from suban.cases.models import Case, CaseEvent, CoHandler, DeadlinePolicy, SupervisionOrder


class CaseEventInline(ReadOnlyMixin, admin.TabularInline):
    model = CaseEvent
    fields = readonly_fields = (
        "seq",
        "at",
        "action",
        "from_status",
        "to_status",
        "actor",
        "actor_unit",
        "note",
        "public",
    )
    ordering = ["seq"]
    extra = 0


class CoHandlerInline(ReadOnlyMixin, admin.TabularInline):
    model = CoHandler
    fields = readonly_fields = ("unit", "person", "added_at")
    extra = 0


class SupervisionInline(ReadOnlyMixin, admin.TabularInline):
    model = SupervisionOrder
    fields = readonly_fields = ("created_at", "unit", "by", "automatic", "due_at", "state", "done_at", "note")
    extra = 0


@admin.register(Case)
class CaseAdmin(ReadOnlyMixin, AuditedAdmin):
    list_display = ["number", "title", "status", "unit", "alert", "due_at", "created_at", "masked_phone"]
    list_filter = ["status", "alert", "case_type", "nature", "channel", "urgency", "level", "created_at"]
    search_fields = ["number", "title"]
    list_select_related = ["unit"]
    # Newest first by the primary key, which is indexed; the count of a big table is skipped.
    ordering = ["-pk"]
    show_full_result_count = False
    list_per_page = 50
    fieldsets = [
        (None, {"fields": ["number", "title", "text", "case_type", "nature", "matter", "channel", "urgency"]}),
        (_("Where"), {"fields": ["address", "longitude", "latitude", "grid"]}),
        (
            _("Who asked"),
            {
                "fields": [
                    "citizen",
                    "contact_name",
                    "masked_phone",
                    "anonymous",
                    "confidential",
                    "complained_unit",
                    "reporter",
                ]
            },
        ),
        (_("Handling"), {"fields": ["status", "level", "unit", "handler", "alert", "due_at", "reply", "satisfaction"]}),
        (
            _("Dates"),
            {"fields": ["created_at", "dispatched_at", "claimed_at", "replied_at", "closed_at"]},
        ),
    ]
    readonly_fields = ["masked_phone", "created_at"]
    inlines = [CaseEventInline, CoHandlerInline, SupervisionInline]

    @admin.display(description=_("contact phone"))
    def masked_phone(self, obj: Case) -> str:
        return obj.masked_contact_phone


@admin.register(SupervisionOrder)
class SupervisionOrderAdmin(ReadOnlyMixin, AuditedAdmin):
    list_display = ["case", "unit", "by", "automatic", "due_at", "state", "created_at"]
    list_filter = ["state", "automatic"]
    search_fields = ["case__number"]
    list_select_related = ["case", "unit", "by"]
    ordering = ["-pk"]


MATCH_FIELDS = ("case_type", "nature", "level", "urgency")


def is_catch_all(policy: DeadlinePolicy | None) -> bool:
    return policy is not None and policy.pk is not None and not any(getattr(policy, f) for f in MATCH_FIELDS)


class DeadlinePolicyForm(forms.ModelForm):
    class Meta:
        model = DeadlinePolicy
        fields = [*MATCH_FIELDS, "working_days", "response_hours"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if is_catch_all(self.instance) and any(data.get(f) for f in MATCH_FIELDS):
            raise forms.ValidationError(_("This row covers every case: change its limits, not what it matches."))
        return data


@admin.register(DeadlinePolicy)
class DeadlinePolicyAdmin(AuditedAdmin):
    form = DeadlinePolicyForm
    list_display = ["__str__", *MATCH_FIELDS, "working_days", "response_hours"]
    list_filter = list(MATCH_FIELDS)
    ordering = list(MATCH_FIELDS)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Without the catch-all row a case no other row covers could not be dispatched.
        return not is_catch_all(obj) and super().has_delete_permission(request, obj)

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # one row at a time, so the catch-all row stays
        return actions
