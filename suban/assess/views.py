"""The assessment pages of the console: rankings, a unit's figures, the cases behind a figure, and the reports
(printable page, xlsx, PDF). Thin: they check the reader, read the selectors and render."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.core.validators import MaxValueValidator, MinValueValidator
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from suban.accounts.access import acting, staff_required
from suban.assess import reports, selectors
from suban.assess.exports import report_pdf, report_xlsx
from suban.assess.models import RulingReason
from suban.assess.periods import Period, Span, span
from suban.assess.rates import RATES
from suban.assess.rulings import RulingForm
from suban.assess.services import assessment_rule_out, assessment_withdraw_ruling
from suban.cases.selectors import case_or_404
from suban.catalogue.models import Matter
from suban.errors import DomainError, NotFound
from suban.org.models import Unit, UnitKind

PER_PAGE = 25
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class PeriodForm(forms.Form):
    period = forms.ChoiceField(label=gettext_lazy("Period"), choices=Period.choices, required=False)
    # Within the platform's calendar: a year before or after it has no previous period or year to compare with.
    date = forms.DateField(
        label=gettext_lazy("Date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        validators=[MinValueValidator(date(2000, 1, 1)), MaxValueValidator(date(2100, 12, 31))],
    )

    def __init__(self, data: QueryDict) -> None:
        # A page opened without a period shows this month: the pickers must say so, or "Show" changes the view.
        data = data.copy()
        data["period"] = data.get("period") or Period.MONTH
        data["date"] = data.get("date") or timezone.localdate().isoformat()
        super().__init__(data)

    def span(self, default: str = Period.MONTH) -> Span:
        data = self.cleaned_data if self.is_valid() else {}
        return span(data.get("period") or default, data.get("date") or timezone.localdate())


class RankingForm(PeriodForm):
    kind = forms.ChoiceField(label=gettext_lazy("Units"), choices=list(selectors.RANK_KINDS.items()), required=False)
    field_order = ["kind", "period", "date"]


class CountedPaginator(Paginator):
    """A paginator told its count (the figure from the roll-ups) instead of counting the rows."""

    def __init__(self, object_list: Any, per_page: int, *, total: int) -> None:
        super().__init__(object_list, per_page)
        self._total = total

    @property
    def count(self) -> int:
        return self._total


def _query(s: Span, **extra: Any) -> str:
    from urllib.parse import urlencode

    return urlencode({"period": s.period, "date": s.start.isoformat(), **extra})


def _refused(request: HttpRequest, error: DomainError) -> HttpResponse:
    return render(request, "console/refused.html", {"reason": error.message}, status=error.status)


@require_GET
@staff_required
def rankings(request: HttpRequest) -> HttpResponse:
    form = RankingForm(request.GET)
    s = form.span()
    kind = (form.cleaned_data.get("kind") if form.is_valid() else "") or "street"
    rows = selectors.ranking(acting(request), kind, s)
    context = {
        "form": form,
        "span": s,
        "kind": kind,
        "kind_label": selectors.RANK_KINDS[kind],
        "rows": rows,
        "rates": RATES,
        "query": _query(s),
    }
    return render(request, "assess/rankings.html", context)


def _children_kinds(unit: Unit) -> list[str]:
    return reports._ranked_kinds(unit)


@require_GET
@staff_required
def unit_page(request: HttpRequest, unit_id: int) -> HttpResponse:
    user = acting(request)
    try:
        unit = selectors.reachable_unit(user, unit_id)
    except NotFound as error:
        return _refused(request, error)
    form = PeriodForm(request.GET)
    s = form.span()
    figures = selectors.unit_figures(user, unit, s)
    points = selectors.trend(user, unit, s.period, 14 if s.period == Period.DAY else 12, s.start)
    under = [
        (selectors.RANK_KINDS[k], [r for r in selectors.ranking(user, k, s) if r.unit.path.startswith(unit.path)])
        for k in _children_kinds(unit)
    ]
    street = unit if unit.kind == UnitKind.STREET else None
    matters = (
        selectors.matter_mix(user, s, top=10, street=street)
        if unit.kind in (UnitKind.STREET, UnitKind.DISTRICT)
        else []
    )
    context = {
        "unit": unit,
        "form": form,
        "span": s,
        "figures": figures,
        "points": points,
        "under": under,
        "matters": matters,
        "live": selectors.live_counts(user, unit),
        "rates": RATES,
        "query": _query(s),
        "measures": selectors.MEASURES,
    }
    return render(request, "assess/unit.html", context)


@require_GET
@staff_required
def drill(request: HttpRequest) -> HttpResponse:
    user = acting(request)
    form = PeriodForm(request.GET)
    s = form.span()
    measure = request.GET.get("measure", "assessed")
    try:
        unit = selectors.reachable_unit(user, int(request.GET.get("unit", "") or 0))
        rows = selectors.drilldown(user, unit, s, measure)
    except (ValueError, DomainError) as error:
        return _refused(request, error if isinstance(error, DomainError) else NotFound(_("No such unit.")))
    # The figure itself is the count (from the roll-up): the list pages without counting millions of rows.
    total = selectors.unit_figures(user, unit, s).counts[measure] if measure in _COUNTED else rows.count()
    paginator = CountedPaginator(rows, PER_PAGE, total=total)
    page = paginator.get_page(request.GET.get("page"))
    context = {
        "unit": unit,
        "span": s,
        "measure": selectors.MEASURES[measure],
        "page": page,
        "total": paginator.count,
        "query": _query(s),
    }
    return render(request, "assess/drill.html", context)


class MatterDrillForm(forms.Form):
    """The requests behind a figure of the matter mix: a matter (code), the place's street or every street in
    reach, and a range of days (the big screen's 30 or 90 days)."""

    matter = forms.CharField(max_length=40)
    street = forms.CharField(max_length=40, required=False)
    start = forms.DateField()
    end = forms.DateField()

    MAX_DAYS = 366

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end and not 0 <= (end - start).days < self.MAX_DAYS:
            self.add_error("end", _("Choose an end on or after the start, within a year."))
        return data


@require_GET
@staff_required
def matter_drill(request: HttpRequest) -> HttpResponse:
    user = acting(request)
    form = MatterDrillForm(request.GET)
    if not form.is_valid():
        return _refused(request, NotFound(_("No such figure.")))
    data = form.cleaned_data
    matter = Matter.objects.filter(code=data["matter"]).first()
    street = Unit.objects.filter(code=data["street"], kind=UnitKind.STREET).first() if data["street"] else None
    home = selectors.home_unit(user)
    if matter is None or (data["street"] and street is None) or home is None:
        return _refused(request, NotFound(_("No such figure.")))
    s = Span(Period.DAY, data["start"], data["end"])
    try:
        total, rows = selectors.matter_drilldown(user, s, matter, street=street)
    except DomainError as error:
        return _refused(request, error)
    page = CountedPaginator(rows, PER_PAGE, total=total).get_page(request.GET.get("page"))
    context = {
        "unit": street or home,
        "span": s,
        "measure": selectors.MEASURES["received"],
        "matter": matter,
        "page": page,
        "total": total,
        "query": _query(span(Period.MONTH, s.end)),
    }
    return render(request, "assess/drill.html", context)


# Measures whose count is a roll-up counter of the same name (the drill-down's condition is the counter's).
_COUNTED = {
    "received",
    "assessed",
    "excluded",
    "dispatched",
    "responded_in_time",
    "reply_due",
    "replied_in_time",
    "completed",
    "rated",
    "satisfied",
    "basically",
    "unsatisfied",
    "resolved",
    "overdue",
    "supervised",
}


def _report(request: HttpRequest, kind: str) -> reports.Report:
    if kind not in reports.KINDS:
        raise NotFound(_("No such report."))
    user = acting(request)
    unit_id = request.GET.get("unit")
    unit = selectors.reachable_unit(user, int(unit_id)) if unit_id and unit_id.isdigit() else selectors.home_unit(user)
    if unit is None:
        raise NotFound(_("No such unit."))
    form = PeriodForm(request.GET)
    anchor: date = (form.cleaned_data.get("date") if form.is_valid() else None) or timezone.localdate()
    return reports.build(user, unit, kind, anchor)


@require_GET
@staff_required
def report_page(request: HttpRequest, kind: str) -> HttpResponse:
    try:
        report = _report(request, kind)
    except DomainError as error:
        return _refused(request, error)
    query = request.GET.urlencode()
    return render(request, "assess/report.html", {"report": report, "rates": RATES, "query": query})


@require_GET
@staff_required
def report_file(request: HttpRequest, kind: str, fmt: str) -> HttpResponse:
    try:
        if fmt not in ("xlsx", "pdf"):
            raise NotFound(_("No such report."))
        report = _report(request, kind)
    except DomainError as error:
        return _refused(request, error)
    stamp = f"{report.unit.code}-{kind}-{report.span.start:%Y%m%d}"
    if fmt == "xlsx":
        response = HttpResponse(report_xlsx(report), content_type=XLSX)
    else:
        response = HttpResponse(report_pdf(report), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="assessment-{stamp}.{fmt}"'
    return response


@require_POST
@staff_required
def ruling(request: HttpRequest, number: str) -> HttpResponse:
    """A supervisor rules the case out of the assessment (`do=rule_out`) or withdraws the ruling
    (`do=withdraw`), from the case page; back to it with what happened."""
    case = case_or_404(acting(request), number)
    form = RulingForm(request.POST, prefix="ruling")
    try:
        if request.POST.get("do") == "withdraw":
            assessment_withdraw_ruling(case=case, by=acting(request), note=request.POST.get("ruling-note", ""))
            messages.success(request, _("Case %(number)s counts in the assessment again.") % {"number": case.number})
        elif not form.is_valid():
            messages.error(request, _("Choose a reason."))
        else:
            reason = form.cleaned_data["reason"]
            assessment_rule_out(case=case, by=acting(request), reason=reason, note=form.cleaned_data["note"])
            messages.success(
                request,
                _("Case %(number)s is ruled out of the assessment: %(reason)s.")
                % {"number": case.number, "reason": RulingReason(reason).label},
            )
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("console:case", case.number)
