"""The one error type of the domain core. Every face maps it to its own format (a form error, an API error)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError


class DomainError(Exception):
    status = 400
    code = "invalid"

    def __init__(self, message: str, *, field: str | None = None, details: Any = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.details = details


class Invalid(DomainError):
    status = 400
    code = "invalid"


class Forbidden(DomainError):
    status = 403
    code = "forbidden"


class NotFound(DomainError):
    status = 404
    code = "not_found"


class Conflict(DomainError):
    status = 409
    code = "conflict"


def full_clean(obj: Any, *, exclude: list[str] | None = None, field: str | None = None) -> None:
    """Model validation, its first problem raised as Invalid (naming the field, or `field` when given)."""
    try:
        obj.full_clean(exclude=exclude)
    except ValidationError as exc:
        name, messages = next(iter(exc.message_dict.items()))
        raise Invalid(f"{name}: {' '.join(messages)}", field=field or name, details=exc.message_dict) from None
