"""Django's database sessions (SESSION_ENGINE), where a cookie whose key holds a NUL is no session: PostgreSQL's
text refuses the character, and looking the key up was a 500 on every page the cookie came with."""

from __future__ import annotations

from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore


class SessionStore(DatabaseSessionStore):
    def _validate_session_key(self, key: str | None) -> bool:
        return bool(super()._validate_session_key(key)) and "\x00" not in (key or "")  # type: ignore[misc]
