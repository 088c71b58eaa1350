"""Rendering message templates: plain text, no loaders, no tag libraries; a broken template never stops
the action that sends the message (its default text goes out instead)."""

from __future__ import annotations

import logging
from collections.abc import Hashable
from dataclasses import dataclass
from typing import Any

from django.conf import settings

from suban.fingerprint_cache import FingerprintCache, rows_fingerprint
from suban.notify.defaults import DEFAULT_TEMPLATES
from suban.notify.engine import render_text
from suban.notify.models import Channel, MessageTemplate

logger = logging.getLogger(__name__)

# Messages an admin cannot turn off: without the login code no citizen could log in.
ALWAYS_ON = frozenset({"login_code"})


@dataclass(frozen=True)
class Rendered:
    channel: str
    subject: str
    text: str


def _templates_fingerprint() -> Hashable:
    return rows_fingerprint(MessageTemplate)


# The few template rows, read again only when one changed (checked every CACHE_CHECK_SECONDS).
_templates: FingerprintCache[dict[str, MessageTemplate]] = FingerprintCache(
    lambda: {t.code: t for t in MessageTemplate.objects.all()}, _templates_fingerprint
)


def render(code: str, context: dict[str, Any]) -> Rendered | None:
    """The message `code` with `context`, or None when an admin turned it off. A template that fails to
    render is logged and its default text is used."""
    template = _templates.get().get(code)
    default = DEFAULT_TEMPLATES[code]
    context = {"site": settings.SITE_NAME, **context}
    if template is not None and not template.active and code not in ALWAYS_ON:
        return None
    if template is not None:
        try:
            return Rendered(
                template.channel, render_text(template.subject, context), render_text(template.body, context)
            )
        except Exception:
            logger.exception("message template %s does not render; sending its default text", code)
    return Rendered(
        default.get("channel", Channel.SMS),
        render_text(default.get("subject", ""), context),
        render_text(default["body"], context),
    )
