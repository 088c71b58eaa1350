"""Who calls: a bearer token (integrations, scripts) or the Django session (the console, with CSRF)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError
from ninja.security import HttpBearer, SessionAuth

from suban.api.services import token_for_key


class TokenAuth(HttpBearer):
    """`Authorization: Bearer <key>`. A bad key is refused at once rather than falling back to the session."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        found = token_for_key(token.strip())
        if found is None or not found.user.is_active:
            raise AuthenticationError(message=_("The API token is invalid, expired or revoked."))
        # Views, throttles and the services all read request.user.
        request.user = found.user
        return found.user


class SessionCookieAuth(SessionAuth):
    """The console's login session. CSRF is checked for unsafe methods, only once someone is logged in,
    so that an anonymous call gets 401 rather than a CSRF refusal."""

    def __call__(self, request: HttpRequest) -> Any:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not user.is_active:
            return None
        return super().__call__(request)


def caller(request: HttpRequest) -> Any:
    """The account the request was authenticated as (ninja puts it on request.auth)."""
    return request.auth  # type: ignore[attr-defined]
