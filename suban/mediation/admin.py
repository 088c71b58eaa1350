"""The mediation centre in the admin: rooms, the departments seated at the centre and the mediators are master
data (kept by the system admin, every change in the audit chain). Disputes are worked in the console; the admin
lists them without their content (facts, parties and terms are for the centre, its rooms and the parties)."""

from __future__ import annotations

from django.contrib import admin

from suban.admin_readonly import ReadOnlyMixin
from suban.adminsite import AuditedAdmin
from suban.mediation.models import Desk, Dispute, Mediator, Room


class DeskInline(admin.TabularInline):
    model = Desk
    fields = ("name", "unit", "active")
    autocomplete_fields = ("unit",)
    extra = 0


@admin.register(Room)
class RoomAdmin(AuditedAdmin):
    list_display = ["name", "level", "unit", "active"]
    list_filter = ["level", "active"]
    search_fields = ["name", "unit__name"]
    autocomplete_fields = ["unit"]
    inlines = [DeskInline]


@admin.register(Desk)
class DeskAdmin(AuditedAdmin):
    list_display = ["name", "room", "unit", "active"]
    list_filter = ["active"]
    search_fields = ["name", "unit__name"]
    autocomplete_fields = ["unit"]


@admin.register(Mediator)
class MediatorAdmin(AuditedAdmin):
    list_display = ["__str__", "room", "desk", "kind", "head", "active"]
    list_filter = ["kind", "head", "active", "room__level"]
    search_fields = ["user__username", "user__name", "room__name"]
    autocomplete_fields = ["user"]
    list_select_related = ["user", "room", "desk"]


@admin.register(Dispute)
class DisputeAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["number", "category", "status", "room", "risk", "registered_at"]
    list_filter = ["status", "category", "risk", "source"]
    search_fields = ["number"]
    list_select_related = ["room"]
    fields = readonly_fields = (
        "number",
        "category",
        "source",
        "status",
        "risk",
        "escalating",
        "room",
        "registered_at",
        "accepted_at",
        "due_at",
        "ended_at",
        "closed_at",
    )
