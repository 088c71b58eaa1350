"""Log-in events into the audit chain. Receivers only record; they decide nothing."""

from __future__ import annotations

from typing import Any

from axes.signals import user_locked_out
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from suban.audit.services import audit_record


@receiver(user_logged_in)
def on_login(sender: Any, request: Any, user: AbstractBaseUser, **kwargs: Any) -> None:
    audit_record(action="login", actor=user, target=user, request=request)


@receiver(user_logged_out)
def on_logout(sender: Any, request: Any, user: AbstractBaseUser | None, **kwargs: Any) -> None:
    if user is not None:
        audit_record(action="logout", actor=user, target=user, request=request)


@receiver(user_login_failed)
def on_login_failed(sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any) -> None:
    audit_record(action="login.failed", actor_name=str(credentials.get("username", ""))[:150] or "?", request=request)


@receiver(user_locked_out)
def on_locked_out(sender: Any, request: Any = None, username: str | None = None, **kwargs: Any) -> None:
    audit_record(action="login.locked_out", actor_name=(username or "?")[:150], request=request)
