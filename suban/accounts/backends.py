from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import BaseBackend, ModelBackend

from suban.accounts.models import AccountKind, User
from suban.accounts.roles import admin_role_permissions


class RoleBackend(ModelBackend):
    """Password login as usual; permissions come only from the admin role's table, never from rows."""

    def _get_permissions(self, user_obj: Any, obj: Any, from_name: str) -> set[str]:
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None or from_name != "user":
            return set()
        return set(admin_role_permissions(getattr(user_obj, "admin_role", "")))

    def user_can_authenticate(self, user: Any) -> bool:
        return super().user_can_authenticate(user) and user.has_usable_password()


class CitizenSmsBackend(BaseBackend):
    """The session of a citizen who logged in with a code sent by SMS (suban.accounts.sms_login). There is
    no password path: authenticate() accepts nothing; the login itself names this backend. It holds no
    permissions, and it restores only an active citizen's session."""

    def authenticate(self, request: Any, **credentials: Any) -> None:
        return None

    def get_user(self, user_id: Any) -> Any:
        return User.objects.filter(pk=user_id, kind=AccountKind.CITIZEN, is_active=True).first()
