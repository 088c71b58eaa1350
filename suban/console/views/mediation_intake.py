"""Taking disputes in (一口受理): registering one with its parties (from a risk a sweep found, or as brought in),
and the risk reports of the sweeps (矛盾纠纷排查), reported by the grids and turned into disputes by the centre."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from suban.accounts.access import acting, staff_required
from suban.accounts.models import User
from suban.console.mediation import grids_of, places
from suban.console.mediation_forms import (
    DisputeForm,
    PartyFormSet,
    RiskForm,
    party_rows,
    typed_rows,
)
from suban.console.pickers import find_unit, unit_choice
from suban.errors import DomainError, Invalid
from suban.mediation import services
from suban.mediation.models import Dispute, RiskReport, Room, Source
from suban.mediation.selectors import disputes_visible_to, intake_rooms, risks_visible_to
from suban.mediation.services import MAX_PARTIES

PAGE_SIZE = 30
DISPUTE_FIELDS = ("category", "summary", "facts", "amount", "risk", "source", "unit", "room")


def _refusal_of_registering() -> str:
    return _("Disputes are registered by the mediators of the mediation centre and of the mediation rooms.")


def _report(user: User, raw: Any) -> RiskReport | None:
    """The risk report a dispute is registered from (?risk=ID), if this person may read it."""
    if raw in (None, ""):
        return None
    text = str(raw)
    ok = text.isascii() and text.isdigit() and len(text) < 19  # ("²" is a digit to isdigit, not to int)
    report = risks_visible_to(user).filter(pk=int(text)).first() if ok else None
    if report is None:
        raise Http404
    return report


def _from_report(report: RiskReport) -> dict[str, Any]:
    return {
        "category": report.category,
        "risk": report.level,
        "facts": report.what,
        "unit": unit_choice(report.grid),
        "source": Source.SWEEP,
        "risk_report": report.pk,
    }


@require_http_methods(["GET", "POST"])
@staff_required
def register(request: HttpRequest) -> HttpResponse:
    user = acting(request)
    if not services.may_register(user):
        return render(request, "console/refused.html", {"reason": _refusal_of_registering()}, status=403)
    rooms = intake_rooms(user)
    report = _report(user, request.POST.get("risk_report") if request.method == "POST" else request.GET.get("risk"))
    status, parties_refusal = 200, ""
    if request.method == "GET":
        form = DisputeForm(initial=_from_report(report) if report else {}, rooms=rooms)
        parties = PartyFormSet(initial=party_rows(), prefix="parties")
    elif "add_row" in request.POST:
        # One more party row: the form drawn again as typed, judged only when sent.
        form = DisputeForm(initial=request.POST.dict(), rooms=rooms)
        rows = typed_rows(request.POST)
        more = party_rows(2)[1:] if len(rows) < MAX_PARTIES else []
        parties = PartyFormSet(initial=[*rows, *more], prefix="parties")
    else:
        form = DisputeForm(request.POST, rooms=rooms)
        parties = PartyFormSet(request.POST, prefix="parties")
        status = 400
        if form.is_valid() and parties.is_valid():
            try:
                dispute = _register(user, form, parties, report, {r.pk: r for r in rooms})
            except DomainError as exc:
                if exc.field in DISPUTE_FIELDS and exc.field in form.fields:
                    form.add_error(exc.field, exc.message)
                elif exc.field == "parties":
                    parties_refusal = exc.message
                else:
                    form.add_error(None, exc.message)
            else:
                messages.success(request, _("Dispute %(number)s is registered.") % {"number": dispute.number})
                return redirect("console:dispute", number=dispute.number)
    context = {"form": form, "parties": parties, "parties_refusal": parties_refusal, "report": report}
    return render(request, "console/mediation/new.html", context, status=status)


def _register(
    user: User, form: DisputeForm, parties: Any, report: RiskReport | None, rooms: dict[int, Room]
) -> Dispute:
    d = form.cleaned_data
    unit = find_unit(d["unit"], field="unit", qs=places(user))
    room = rooms.get(int(d["room"])) if d.get("room") else None
    if d.get("room") and room is None:
        raise Invalid(_("That room does not serve the dispute's place."), field="room")
    data = services.DisputeIn(
        category=d["category"],
        summary=d["summary"],
        source=d["source"],
        unit=unit,
        parties=parties.parties(),
        facts=d["facts"],
        amount=d["amount"],
        risk=d["risk"],
        escalating=d["escalating"],
        room=room,
    )
    return services.dispute_register(by=user, data=data, risk_report=report)


@require_http_methods(["GET", "POST"])
@staff_required
def risks(request: HttpRequest) -> HttpResponse:
    user = acting(request)
    grids = grids_of(user)
    may_report = bool(grids) and services.may_report_risk(user, grids[0])
    form = RiskForm(request.POST or None, grids=grids, auto_id="id_risk_%s") if may_report else None
    status = 200
    if request.method == "POST":
        if form is None:
            return render(
                request,
                "console/refused.html",
                {"reason": _("Risks are reported by the grid workers and the community and street handlers.")},
                status=403,
            )
        status = 400
        if form.is_valid():
            d = form.cleaned_data
            try:
                services.risk_report(
                    by=user,
                    grid=form.grids[d["grid"]],
                    category=d["category"],
                    level=d["level"],
                    parties=d["parties"],
                    place=d["place"],
                    what=d["what"],
                )
            except DomainError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                messages.success(request, _("The risk is reported."))
                return redirect("console:mediation_risks")
    rows = risks_visible_to(user).order_by("-reported_at", "-pk")
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    became = [r.dispute_id for r in page.object_list if r.dispute_id is not None]
    readable = set(disputes_visible_to(user).filter(pk__in=became).values_list("pk", flat=True)) if became else set()
    context = {
        "form": form,
        "page": page,
        "readable": readable,
        "may_register": services.may_register(user),
    }
    return render(request, "console/mediation/risks.html", context, status=status)
