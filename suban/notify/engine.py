"""The message template language: Django's template engine with no loaders, no tag libraries and no
autoescaping; what a template may use, and the check an admin's edit must pass."""

from __future__ import annotations

from datetime import timedelta
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.template import Context, Engine, Template, TemplateSyntaxError
from django.template.defaulttags import DebugNode
from django.utils import timezone
from django.utils.translation import gettext as _

# No loaders: {% include %} and {% extends %} find nothing. No libraries beyond the built-in tags and
# filters. No autoescaping: an SMS or a plain-text e-mail is not HTML (see plain_context).
ENGINE = Engine(loaders=[], libraries={}, autoescape=False, debug=False)

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
        template.render(plain_context(sample_context()))
    except TemplateSyntaxError as exc:
        return _("The template has an error: %(error)s") % {"error": exc}
    except Exception as exc:
        return _("The template cannot be rendered: %(error)s") % {"error": exc}
    return ""


def plain_context(values: dict[str, Any]) -> Context:
    """The variables, printed as they are: a Context escapes HTML unless told not to (the engine's
    autoescape=False only reaches templates rendered through a backend), and a title typed as
    `"路灯" & <灯杆>` must not reach the phone as `&quot;路灯&quot; &amp; &lt;灯杆&gt;`. A value is
    never parsed as a template, so `{{ ... }}` or `{% ... %}` in it is printed literally too."""
    return Context(values, autoescape=False)


def render_text(text: str, context: dict[str, Any]) -> str:
    return _compiled(text).render(plain_context(context)).strip()


@lru_cache(maxsize=256)
def _compiled(text: str) -> Template:
    """Templates compiled once per process and text (an edit is a new text)."""
    return ENGINE.from_string(text)
