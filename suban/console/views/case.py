"""The case page, its actions (htmx, with a full-page fallback), its map data and its attachments."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from suban.accounts.access import acting, staff_required
from suban.accounts.models import User
from suban.assess.rulings import ruling_panel
from suban.cases.deadlines import office_clock
from suban.cases.lifecycle import allowed
from suban.cases.models import TERMINAL, Attachment, Case, Status
from suban.cases.selectors import case_or_404, cases_visible_to, open_supervision, reload_case
from suban.cases.services import DeclineReason
from suban.cases.visibility import contact_for
from suban.console.actions import (
    ON_SUPERVISION,
    SPECS,
    Outcome,
    Spec,
    blank_form,
    page_actions,
    run,
)
from suban.console.dispatch import build_row, model_choices, suggest
from suban.console.forms import ActionForm
from suban.console.labels import action_label
from suban.console.maps import case_map
from suban.console.pickers import unit_choice
from suban.console.timeline import choice_label, timeline
from suban.console.views.common import is_htmx
from suban.console.views.dispatch import dispatch_context, row_response
from suban.intel.duplicates import possible_duplicates
from suban.intel.routing import advice_for
from suban.knowledge.models import Article, ArticleStatus
from suban.knowledge.selectors import articles_visible_to, found
from suban.knowledge.services import may_write_article, reply_released

# Served inline; anything else downloads (an SVG or HTML file must not run in our origin).
INLINE_TYPES = frozenset({"image/jpeg", "image/png", "image/gif", "image/webp"})


@dataclass
class Panel:
    action: str
    label: str
    spec: Spec
    form: ActionForm
    open: bool = False
    stale: bool = False
    gone: bool = False  # refused because the action is no longer open to this person

    @property
    def has_fields(self) -> bool:
        return any(not f.is_hidden for f in self.form)


def _panels(
    case: Case, user: User, bound: tuple[str, Outcome] | None, answer_from: Article | None = None
) -> list[Panel]:
    suggestion = suggest(case)[0] if "dispatch" in page_actions(case, user) else None
    panels = []
    for action in page_actions(case, user):
        initial: dict[str, Any] = {}
        if action == "dispatch" and suggestion is not None and suggestion.pk != case.unit_id:
            initial["unit"] = unit_choice(suggestion)
        if action == "supervise":
            initial["days"] = Decimal(1)
        if action in ON_SUPERVISION:
            order = open_supervision(case)
            initial["order"] = order.pk if order is not None else None
        if action == "answer" and answer_from is not None and answer_from.live is not None:
            initial.update(reply=answer_from.live.answer, article=answer_from.pk)
        form = blank_form(SPECS[action], case, prefix_id=action, initial=initial)
        panels.append(
            Panel(
                action, action_label(action), SPECS[action], form, open=answer_from is not None and action == "answer"
            )
        )
    if bound is not None:
        action, outcome = bound
        for panel in panels:
            if panel.action == action:
                panel.form, panel.open, panel.stale = outcome.form, True, outcome.stale
                break
        else:
            # The action is no longer open to this person (the case moved on): say so above the others.
            panels.insert(
                0, Panel(action, action_label(action), SPECS[action], outcome.form, True, outcome.stale, True)
            )
    return panels


def case_context(request: HttpRequest, case: Case, *, bound: tuple[str, Outcome] | None = None) -> dict[str, Any]:
    user = acting(request)
    duplicates = []
    if allowed(case, "merge", user):
        # A duplicate that may take this one in gets a merge button; a new one must be accepted first.
        duplicates = [
            (
                d,
                blank_form(SPECS["merge"], case, prefix_id=f"dup_{d.case.number}", initial={"into": d.case.number})
                if allowed(d.case, "absorb", user)
                else None,
            )
            for d in possible_duplicates(case, among=cases_visible_to(user))
        ]
    # The model's suggestions, each a one-click dispatch, for a person who may send the case on now.
    send = "accept_dispatch" if case.status == Status.NEW and allowed(case, "accept", user) else ""
    send = "dispatch" if allowed(case, "dispatch", user) else send
    advice = advice_for(case) if send else None
    model_forms, model_form_map, model_actions = [], {}, {}
    for choice, key, initial in model_choices(case, send, advice) if advice is not None else []:
        model_forms.append((choice, key))
        if key:
            model_actions[key] = send
            model_form_map[key] = blank_form(SPECS[send], case, prefix_id=key, initial=initial)
    suggestion, no_suggestion = (
        suggest(case)
        if case.status in (Status.NEW, Status.ACCEPTED, Status.RETURNED)
        else (
            None,
            "",
        )
    )
    return {
        "case": case,
        "contact": contact_for(case, user),
        "co_handlers": list(case.co_handlers.all()),
        "supervisions": list(case.supervisions.select_related("unit", "by", "done_by").order_by("-created_at")),
        "merged": list(cases_visible_to(user).filter(merged_into=case).order_by("created_at")),
        "steps": timeline(case, user),
        "attachments": list(case.attachments.order_by("created_at")),
        "panels": _panels(case, user, bound, _answer_from(request)),
        "duplicates": duplicates,
        "suggestion": suggestion,
        "no_suggestion": no_suggestion,
        "advice": advice,
        "model_forms": model_forms,
        "model_form_map": model_form_map,
        "model_actions": model_actions,
        "has_place": case.grid_id is not None or case.longitude is not None,
        "office_day": office_clock(case).office_day,
        "decline_reason_label": choice_label(DeclineReason, case.decline_reason) if case.decline_reason else "",
        "ruling": ruling_panel(case, user),
        # The knowledge base's best answers to the request, while it waits for a unit or is handled; and, once
        # a reply was released, a draft article made from it in one step.
        "articles": found(user, f"{case.title} {case.text}", limit=3) if case.status not in TERMINAL else [],
        "to_article": reply_released(case) and may_write_article(user),
        "may_answer": allowed(case, "answer", user),
    }


def _answer_from(request: HttpRequest) -> Article | None:
    """The article a dispatcher chose to answer with (?answer_from=ID on the case page), if they may read it."""
    raw = request.GET.get("answer_from", "")
    if not raw.isdigit():
        return None
    return articles_visible_to(request.user).filter(pk=int(raw), status=ArticleStatus.PUBLISHED).first()


@require_GET
@staff_required
def case_page(request: HttpRequest, number: str) -> HttpResponse:
    case = case_or_404(acting(request), number)
    return render(request, "console/case/page.html", case_context(request, case))


def _done_message(action: str, case: Case) -> str:
    text = _("%(action)s: case %(number)s is now %(status)s.") % {
        "action": action_label(action),
        "number": case.number,
        "status": Status(case.status).label,
    }
    sent = action in ("dispatch", "accept_dispatch", "escalate", "raise_level") or case.status == Status.DISPATCHED
    if case.unit is not None and sent:
        text += " " + _("Lead unit: %(unit)s.") % {"unit": case.unit.name}
    return text


@require_POST
@staff_required
def act(request: HttpRequest, number: str, action: str) -> HttpResponse:
    """One action on one case. `ctx` says which page the form sits on (the case page, or the dispatch
    centre); `form` which of that page's forms it was."""
    spec = SPECS.get(action)
    if spec is None:
        raise Http404(action)
    user = acting(request)
    case = case_or_404(user, number)
    ctx = "dispatch" if request.POST.get("ctx") == "dispatch" else "case"
    key = request.POST.get("form") or action
    prefix = f"{case.number}_{key}" if ctx == "dispatch" else key
    outcome = run(spec, case, user, request.POST, prefix_id=prefix)
    htmx = is_htmx(request)
    if outcome.done:
        fresh = reload_case(case)
        message = _done_message(action, fresh)
        still_visible = cases_visible_to(user).filter(pk=fresh.pk).exists()
        if ctx == "dispatch" and htmx:
            return row_response(request, build_row(fresh, user, done=message))
        messages.success(request, message)
        if ctx == "dispatch":
            target = reverse("console:dispatch")
        elif still_visible:
            target = reverse("console:case", args=[fresh.number])
        else:
            target = reverse("console:inbox")
        if htmx:
            return HttpResponse(status=204, headers={"HX-Redirect": target})
        return redirect(target)
    # Refused: draw the form again, as typed, with the reason next to the field. htmx gets a 200, so that
    # the browser logs no failed request for what is an ordinary answer; a plain post gets 400 or 409.
    status = 200 if htmx else 409 if outcome.stale else 400
    try:
        fresh = case_or_404(user, number)
    except Http404:
        messages.error(request, _("The case has moved out of your reach."))
        return (
            HttpResponse(status=204, headers={"HX-Redirect": reverse("console:inbox")})
            if htmx
            else redirect("console:inbox")
        )
    if ctx == "dispatch":
        if htmx:
            return row_response(request, build_row(fresh, user, bound=(key, outcome)), status=status)
        context = dispatch_context(request, bound=(fresh, key, outcome))
        return render(request, "console/dispatch/page.html", context, status=status)
    context = case_context(request, fresh, bound=(action, outcome))
    template = "console/case/_actions.html" if htmx else "console/case/page.html"
    return render(request, template, context, status=status)


@require_GET
@staff_required
def case_map_data(request: HttpRequest, number: str) -> JsonResponse:
    case = case_or_404(acting(request), number)
    return JsonResponse(case_map(case), json_dumps_params={"ensure_ascii": False})


@require_GET
@staff_required
def attachment(request: HttpRequest, pk: int) -> FileResponse:
    """A case's file, to those who may see the case (404 to anyone else)."""
    item = get_object_or_404(Attachment.objects.select_related("case"), pk=pk)
    if not cases_visible_to(acting(request)).filter(pk=item.case_id).exists():
        raise Http404
    inline = item.content_type in INLINE_TYPES
    response = FileResponse(
        item.file.open("rb"),
        content_type=item.content_type if inline else "application/octet-stream",
        as_attachment=not inline,
        filename=(item.file.name or "").rsplit("/", 1)[-1],
    )
    response["Cache-Control"] = "private, max-age=3600"
    return response
