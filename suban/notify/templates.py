"""Rendering message templates: plain text, no loaders, no tag libraries; a broken template never stops
the action that sends the message (its default text goes out instead)."""

from __future__ import annotations

import logging
from collections.abc import Hashable
from dataclasses import dataclass
from datetime import timedelta
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.template import Context, Engine, Template, TemplateSyntaxError
from django.template.defaulttags import DebugNode
from django.utils import timezone
from django.utils.translation import gettext as _

from suban.fingerprint_cache import FingerprintCache, rows_fingerprint
from suban.notify.defaults import DEFAULT_TEMPLATES
from suban.notify.models import Channel, MessageTemplate

logger = logging.getLogger(__name__)

# No loaders: {% include %} and {% extends %} find nothing. No libraries beyond the built-in tags and
# filters. No autoescaping: an SMS or a plain-text e-mail is not HTML (see _context).
ENGINE = Engine(loaders=[], libraries={}, autoescape=False, debug=False)

# Messages an admin cannot turn off: without the login code no citizen could log in.
ALWAYS_ON = frozenset({"login_code"})

# What a template may use, shown beside it in the admin; the sample values check that it renders.
VARIABLES: dict[str, str] = {
    "number": "2026021000001",
    "title": "路灯不亮",
    "unit": "东一社区",
    "due": "",  # a datetime; set in sample_context()
    "code": "123456",
    "minutes": "5",
    "reason": "重复反映且无新情况：维持原答复",
    "username": "dispatcher",
    "failures": "20",
    "addresses": "6",
    "site": "",
}


def sample_context() -> dict[str, Any]:
    return {**VARIABLES, "due": timezone.now() + timedelta(days=2), "site": settings.SITE_NAME}


def check_template(text: str) -> str:
    """What is wrong with `text` as a message template, or "" when it compiles and renders."""
    try:
        template = ENGINE.from_string(text)
        if template.nodelist.get_nodes_by_type(DebugNode):
            return _("The {% debug %} tag is not allowed in messages.")
        template.render(_context(sample_context()))
    except TemplateSyntaxError as exc:
        return _("The template has an error: %(error)s") % {"error": exc}
    except Exception as exc:
        return _("The template cannot be rendered: %(error)s") % {"error": exc}
    return ""


@dataclass(frozen=True)
class Rendered:
    channel: str
    subject: str
    text: str


def _context(values: dict[str, Any]) -> Context:
    """The variables, printed as they are: a Context escapes HTML unless told not to (the engine's
    autoescape=False only reaches templates rendered through a backend), and a title typed as
    `"路灯" & <灯杆>` must not reach the phone as `&quot;路灯&quot; &amp; &lt;灯杆&gt;`. A value is
    never parsed as a template, so `{{ ... }}` or `{% ... %}` in it is printed literally too."""
    return Context(values, autoescape=False)


def _render(text: str, context: dict[str, Any]) -> str:
    return _compiled(text).render(_context(context)).strip()


@lru_cache(maxsize=256)
def _compiled(text: str) -> Template:
    """Templates compiled once per process and text (an edit is a new text)."""
    return ENGINE.from_string(text)


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
            return Rendered(template.channel, _render(template.subject, context), _render(template.body, context))
        except Exception:
            logger.exception("message template %s does not render; sending its default text", code)
    return Rendered(
        default.get("channel", Channel.SMS),
        _render(default.get("subject", ""), context),
        _render(default["body"], context),
    )
