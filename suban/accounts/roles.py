"""Roles, and what each admin role may do: the permission table is the documentation."""

from __future__ import annotations

from fnmatch import fnmatch
from functools import lru_cache

from django.apps import apps
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    GRID_WORKER = "grid_worker", _("Grid worker")
    SPECIALIST = "specialist", _("Specialist grid worker")
    COMMUNITY_HANDLER = "community_handler", _("Community handler")
    STREET_HANDLER = "street_handler", _("Street handler")
    DEPARTMENT_HANDLER = "department_handler", _("Department handler")
    DISPATCHER = "dispatcher", _("Dispatcher")
    SUPERVISOR = "supervisor", _("Supervisor")
    LEADER = "leader", _("Leader")
    MEDIATOR = "mediator", _("Mediator")


# The roles that handle cases at a unit: the lifecycle's handlers, the inbox's people.
HANDLER_ROLES = frozenset(
    {
        Role.GRID_WORKER,
        Role.SPECIALIST,
        Role.COMMUNITY_HANDLER,
        Role.STREET_HANDLER,
        Role.DEPARTMENT_HANDLER,
    }
)


class AdminRole(models.TextChoices):
    """The three separated admin roles of 等保 level 3. One field, so no one can hold two."""

    NONE = "", _("None")
    SYSTEM = "system", _("System admin")
    SECURITY = "security", _("Security admin")
    AUDIT = "audit", _("Auditor")


# Django permissions ("app_label.action_model") each admin role holds; patterns as in fnmatch.
# The system admin keeps the master data, the security admin keeps accounts' roles and lockouts,
# the auditor reads everything and changes nothing. Only the auditor reads the audit log.
ADMIN_ROLE_PERMISSIONS: dict[str, tuple[str, ...]] = {
    AdminRole.SYSTEM: (
        "org.*",
        "workdays.*",
        "accounts.view_user",
        "accounts.add_user",
        "accounts.change_user",
        "accounts.*_staffrole",
        "masterdata.*",
        "catalogue.*",
        "knowledge.*_synonym",
        "knowledge.view_*",
        "mediation.*_room",
        "mediation.*_desk",
        "mediation.*_mediator",
        "mediation.view_dispute",
        "cases.*_deadlinepolicy",
        "notify.*",
        "h5.*",
        "assess.*_assessmentconfig",
        "assess.*_exclusionrule",
        "citysync.*",
        "exchange.*",
    ),
    AdminRole.SECURITY: (
        "accounts.view_user",
        "accounts.change_user",
        "accounts.view_staffrole",
        "accounts.view_loginalert",
        "accounts.change_loginalert",
        "org.view_*",
        "axes.view_*",
        "axes.delete_accessattempt",
        "axes.delete_accessfailurelog",
        "api.view_apitoken",
        "api.revoke_apitoken",
        "open311.view_apikey",
        "open311.change_apikey",
        "open311.view_submission",
    ),
    AdminRole.AUDIT: ("*.view_*",),
}
# Never granted by a pattern: the audit log is for the auditor only, and nobody edits it.
_NEVER: dict[str, tuple[str, ...]] = {
    AdminRole.SYSTEM: ("audit.*",),
    AdminRole.SECURITY: ("audit.*",),
    AdminRole.AUDIT: ("audit.add_*", "audit.change_*", "audit.delete_*"),
}


@lru_cache(maxsize=8)
def admin_role_permissions(admin_role: str) -> frozenset[str]:
    patterns = ADMIN_ROLE_PERMISSIONS.get(admin_role, ())
    never = _NEVER.get(admin_role, ())
    granted = set()
    for model in apps.get_models():
        meta = model._meta
        for action in meta.default_permissions:
            perm = f"{meta.app_label}.{action}_{meta.model_name}"
            if any(fnmatch(perm, p) for p in patterns) and not any(fnmatch(perm, p) for p in never):
                granted.add(perm)
        for codename, _name in meta.permissions:
            perm = f"{meta.app_label}.{codename}"
            if any(fnmatch(perm, p) for p in patterns) and not any(fnmatch(perm, p) for p in never):
                granted.add(perm)
    return frozenset(granted)
