"""Refusals the H5 answers in its own look, rather than the staff site's."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from suban.nul import nul_page_message


def nul_refused(request: HttpRequest, field: str) -> HttpResponse:
    """A NUL anywhere in the request (suban.nul), refused before the view runs."""
    return render(request, "h5/400.html", {"message": nul_page_message()}, status=400)
