from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from suban.accounts.access import acting, home_url, staff_required


@staff_required
def home(request: HttpRequest) -> HttpResponse:
    """/console/: each person's main page."""
    return redirect(home_url(acting(request)))
