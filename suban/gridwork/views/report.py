"""上报事项: a grid worker files what they found, with photos and the phone's position."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from suban.accounts.access import acting
from suban.cases.models import Status
from suban.errors import DomainError
from suban.gridwork.access import GRID_ROLES, roles_required
from suban.gridwork.forms import ReportForm, apply_error
from suban.gridwork.geo import unit_centre
from suban.gridwork.services import grid_report_taken, open_patrol


@roles_required(GRID_ROLES)
@require_http_methods(["GET", "POST"])
def report(request: HttpRequest) -> HttpResponse:
    user = acting(request)
    if request.method == "POST":
        form = ReportForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            try:
                taken = grid_report_taken(
                    by=user,
                    title=data["title"],
                    text=data["text"],
                    case_type=data["case_type"],
                    nature=data["nature"],
                    urgency=data["urgency"],
                    longitude=data["longitude"],
                    latitude=data["latitude"],
                    address=data["address"],
                    contact_name=data["contact_name"],
                    contact_phone=data["contact_phone"],
                    photos=data["photos"],
                    solved_on_spot=data["solved_on_spot"],
                    solution=data["solution"],
                )
            except DomainError as exc:
                apply_error(form, exc, {"phone": "contact_phone"})
            else:
                case = taken.case
                if not taken.created:  # Back after sending, and sent again: the first case stands
                    messages.info(
                        request,
                        _("Request %(number)s with the same words was received already; it was not sent a second time.")
                        % {"number": case.number},
                    )
                    return redirect(f"{reverse('gridwork:my_grid')}?show=reported")
                if case.status == Status.REVIEWING:  # 即报即办: taken and answered here, the reply under review
                    filed = _("Case %(number)s is filed and handled on the spot; the centre reviews your reply.")
                else:
                    filed = _("Case %(number)s is filed; the dispatch centre accepts and dispatches it.")
                messages.success(request, filed % {"number": case.number})
                if case.grid_id != user.unit_id:
                    where = case.grid.name if case.grid else _("no grid")
                    messages.warning(
                        request,
                        _("The place lies outside your grid (%(where)s): the case goes where the place is.")
                        % {"where": where},
                    )
                return redirect(f"{reverse('gridwork:my_grid')}?show=reported")
    else:
        form = ReportForm()
    context = {
        "form": form,
        "grid": user.unit,
        "has_centre": unit_centre(user.unit) is not None,  # type: ignore[arg-type]  # a grid worker has a unit
        "patrol": open_patrol(user),
        # A browser never refills a file input: a refused form says so instead of dropping the photos unseen.
        "files_chosen": bool(request.FILES),
    }
    # A refused form is drawn again with 200, as on the H5 and in the console: a 4xx document is an error in
    # the browser's console.
    return render(request, "gridwork/report.html", context)
