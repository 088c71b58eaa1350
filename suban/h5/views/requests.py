"""Submitting a request and following it: the form, the confirmation, my requests, one request with its
timeline, adding information and rating.

A form shown again with its errors answers 200, as Django's form views do: the page is what the person
asked for, and a 4xx document is an error in the browser's console."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from suban.accounts.access import acting
from suban.actions import BY_SLUG, perform
from suban.cases.attachments import attachments_visible_to
from suban.cases.lifecycle import allowed_actions
from suban.cases.models import TERMINAL, Case, Status
from suban.cases.selectors import cases_visible_to
from suban.cases.timeline import public_steps, released_reply
from suban.cases.visibility import contact_for
from suban.errors import Conflict, DomainError
from suban.h5.access import citizen_required
from suban.h5.forms import AddInfoForm, RateForm, SubmitForm
from suban.h5.services import h5_add_info, h5_me_too, h5_submit, me_too_candidates

PER_PAGE = 20

# The tabs of "my requests": which statuses each shows.
TABS: dict[str, set[str] | None] = {
    "all": None,
    "open": {s for s in Status.values if s not in TERMINAL and s != Status.VISITING},
    "rate": {Status.VISITING},
    "done": set(TERMINAL),
}


def my_case(request: HttpRequest, number: str) -> Case:
    """The citizen's own case with this number; another citizen's case or none at all is a 404."""
    case = cases_visible_to(acting(request)).select_related("unit", "matter").filter(number=number).first()
    if case is None:
        raise Http404(_("There is no request %(number)s among yours.") % {"number": number})
    return case


def _add_error(form: Any, exc: DomainError) -> None:
    form.add_error(exc.field if exc.field in form.fields else None, exc.message)


def _with_fresh_key(data: QueryDict) -> QueryDict:
    """The posted data with a new form key, when the one posted is missing or malformed."""
    data = data.copy()
    data["key"] = str(uuid.uuid4())
    return data


@citizen_required
@require_http_methods(["GET", "POST"])
def submit(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        form = SubmitForm(initial={"key": uuid.uuid4()})
        return render(request, "h5/submit.html", {"form": form})
    form = SubmitForm(request.POST, request.FILES)
    if form.is_valid() and form.cleaned_data["me_too"]:
        return _me_too(request, form)
    if form.is_valid() and not form.cleaned_data["proceed"]:
        data = form.cleaned_data
        offered = me_too_candidates(
            by=acting(request),
            title=data["title"],
            text=data["text"],
            longitude=data["longitude"],
            latitude=data["latitude"],
            address=data["address"],
        )
        if offered:
            # Already reported nearby: offer to follow it before anything is sent.
            return _form_again(request, form, offered=offered)
    if form.is_valid():
        data = form.cleaned_data
        try:
            case, created = h5_submit(
                by=acting(request),
                key=data["key"],
                confidential=data["confidential"],
                files=form.files_to_store(),
                **form.case_fields(),
            )
        except DomainError as exc:
            _add_error(form, exc)
        else:
            if not created:
                # The same form again, or the same words again under a new key (back, then send): the first case.
                messages.info(
                    request,
                    _("Request %(number)s with the same words was received already; it was not sent a second time.")
                    % {"number": case.number},
                )
            return HttpResponseRedirect(reverse("h5:submitted", args=[case.number]))
    if "key" in form.errors:
        form = SubmitForm(_with_fresh_key(request.POST), request.FILES)
        form.is_valid()
    return _form_again(request, form)


def _form_again(request: HttpRequest, form: SubmitForm, **context: Any) -> HttpResponse:
    """The form shown again, with its errors or the requests it may follow; files chosen are to be chosen again."""
    return render(request, "h5/submit.html", {"form": form, "files_chosen": bool(request.FILES), **context})


def _me_too(request: HttpRequest, form: SubmitForm) -> HttpResponse:
    data = form.cleaned_data
    try:
        case, _created = h5_me_too(by=acting(request), key=data["key"], into=data["me_too"], **form.case_fields())
    except DomainError as exc:
        form.add_error(None, exc.message)
        return _form_again(request, form)
    messages.success(
        request,
        _("Thank you: you now follow request %(number)s, and you will get its answer.")
        % {"number": case.merged_into.number if case.merged_into else case.number},
    )
    return HttpResponseRedirect(reverse("h5:case", args=[case.number]))


@citizen_required
@require_GET
def submitted(request: HttpRequest, number: str) -> HttpResponse:
    case = my_case(request, number)
    return render(request, "h5/submitted.html", {"case": case})


@citizen_required
@require_GET
def my_requests(request: HttpRequest) -> HttpResponse:
    tab = request.GET.get("tab", "all")
    if tab not in TABS:
        tab = "all"
    qs: QuerySet[Case] = cases_visible_to(acting(request)).select_related("unit").order_by("-created_at", "-pk")
    statuses = TABS[tab]
    if statuses is not None:
        qs = qs.filter(status__in=statuses)
    page = Paginator(qs, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "h5/mine.html", {"page": page, "tab": tab, "tabs": TABS})


def _detail(
    request: HttpRequest,
    case: Case,
    *,
    add_form: AddInfoForm | None = None,
    rate_form: RateForm | None = None,
) -> HttpResponse:
    user = acting(request)
    actions = allowed_actions(case, user)
    # A refusal of an action the page no longer offers (someone acted first) shows as a message.
    for form, shown in ((add_form, "add_info" in actions), (rate_form, "rate" in actions)):
        if form is not None and not shown:
            for error in form.non_field_errors():
                messages.error(request, str(error))
    context = {
        "case": case,
        "steps": public_steps(case, user),
        "reply": released_reply(case),
        "contact": contact_for(case, user),
        # The files sent with the request; those of later steps show in the timeline.
        "files": attachments_visible_to(user, case).filter(Q(event=None) | Q(event__action="submit")),
        "can_add_info": "add_info" in actions,
        "can_rate": "rate" in actions,
        "add_form": add_form or AddInfoForm(initial={"version": case.version}),
        "rate_form": rate_form or RateForm(initial={"version": case.version}),
        "unsatisfied": case.status == Status.UNSATISFIED,
    }
    return render(request, "h5/case.html", context)


@citizen_required
@require_GET
def case_detail(request: HttpRequest, number: str) -> HttpResponse:
    return _detail(request, my_case(request, number))


@citizen_required
@require_GET
def case_timeline(request: HttpRequest, number: str) -> HttpResponse:
    """The timeline alone, for the page to refresh itself while it is open."""
    case = my_case(request, number)
    context = {"case": case, "steps": public_steps(case, acting(request))}
    return render(request, "h5/_timeline.html", context)


@citizen_required
@require_POST
def add_info(request: HttpRequest, number: str) -> HttpResponse:
    case = my_case(request, number)
    form = AddInfoForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            h5_add_info(
                case=case,
                by=acting(request),
                text=form.cleaned_data["text"],
                files=form.cleaned_data["photos"],
                expected_version=form.cleaned_data["version"],
            )
        except DomainError as exc:
            _add_error(form, exc)
        else:
            messages.success(request, _("Your information was added to the request."))
            return HttpResponseRedirect(reverse("h5:case", args=[case.number]) + "#timeline")
    return _detail(request, my_case(request, number), add_form=form)


@citizen_required
@require_POST
def rate(request: HttpRequest, number: str) -> HttpResponse:
    case = my_case(request, number)
    form = RateForm(request.POST)
    if form.is_valid():
        try:
            perform(
                BY_SLUG["rate"],
                case,
                acting(request),
                {**form.cleaned_data, "resolved": form.cleaned_data["resolved"] == "yes"},
            )
        except Conflict as exc:
            now = my_case(request, number)
            if now.status == Status.VISITING:
                _add_error(form, exc)  # changed, but still to be rated: the form again, as typed
            else:
                # Rated meanwhile (in another tab or by the return visit): nothing to retry. Say so, and give
                # back what she wrote.
                text = _("This request was rated already, so this rating was not saved.")
                comment = form.cleaned_data.get("comment", "").strip()
                if comment:
                    text += " " + _("What you wrote: %(comment)s") % {"comment": comment}
                messages.error(request, text)
                return _detail(request, now)
        except DomainError as exc:
            _add_error(form, exc)
        else:
            if case.status == Status.UNSATISFIED:
                messages.info(request, _("Your objection was sent: the district will review the case."))
            else:
                messages.success(request, _("Thank you for your rating."))
            return HttpResponseRedirect(reverse("h5:case", args=[case.number]))
    return _detail(request, my_case(request, number), rate_form=form)
