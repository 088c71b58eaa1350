"""Rate limits per account (not per address: a street office shares one public IP)."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from ninja.throttling import SimpleRateThrottle


class AccountThrottle(SimpleRateThrottle):
    """Counts by the authenticated account's id; ninja's AuthRateThrottle keys by str(user), which two
    accounts may share (the same name, the same masked phone)."""

    def __init__(self, rate: str, scope: str) -> None:
        self.scope = scope
        super().__init__(rate)

    def get_cache_key(self, request: HttpRequest) -> str | None:
        user = getattr(request, "auth", None)
        pk = getattr(user, "pk", None)
        ident = f"account-{pk}" if pk is not None else self.get_ident(request)
        return self.cache_format % {"scope": self.scope, "ident": ident}


reads = AccountThrottle(settings.API_READ_RATE, "api-read")
writes = AccountThrottle(settings.API_WRITE_RATE, "api-write")
