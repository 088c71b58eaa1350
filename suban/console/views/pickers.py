"""Suggestions for the unit and matter inputs: <option>s for a <datalist>, fetched by htmx as one types."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from suban.accounts.access import acting, staff_required
from suban.console.mediation import places
from suban.console.pickers import matter_choice, search_matters, search_units, unit_choice
from suban.org.models import UnitKind


def _words(request: HttpRequest) -> str:
    # htmx sends the input under its own name (unit, to_unit, co_units ...); take whatever was typed.
    for _name, values in request.GET.lists():
        for value in values:
            if value.strip():
                return value[:100]
    return ""


@require_GET
@staff_required
def pick_units(request: HttpRequest) -> HttpResponse:
    options = [(unit_choice(u), u.get_kind_display()) for u in search_units(_words(request))]
    return render(request, "console/_options.html", {"options": options})


@require_GET
@staff_required
def pick_matters(request: HttpRequest) -> HttpResponse:
    options = [(matter_choice(m), "") for m in search_matters(_words(request))]
    return render(request, "console/_options.html", {"options": options})


@require_GET
@staff_required
def pick_places(request: HttpRequest) -> HttpResponse:
    """Where a dispute is: the streets and communities within the mediator's room's area."""
    pool = places(acting(request)).filter(kind__in=(UnitKind.STREET, UnitKind.COMMUNITY))
    options = [(unit_choice(u), u.get_kind_display()) for u in search_units(_words(request), qs=pool)]
    return render(request, "console/_options.html", {"options": options})
