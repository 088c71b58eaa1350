from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from suban.accounts.access import console_refusal
from suban.accounts.selectors import staff_visible_to, units_visible_to
from suban.cases.selectors import cases_visible_to
from suban.org.models import Unit, UnitKind


def home(request: HttpRequest) -> HttpResponse:
    context: dict[str, object] = {}
    user = request.user
    if user.is_authenticated and user.is_citizen:
        return redirect("h5:home")  # a citizen follows their requests on the H5; the staff site is not theirs
    if user.is_authenticated:
        units = units_visible_to(user)
        context["reach_counts"] = [(label, units.filter(kind=kind).count()) for kind, label in UnitKind.choices]
        context["staff_count"] = staff_visible_to(user).count()
        context["case_count"] = cases_visible_to(user).count()
        context["may_use_console"] = console_refusal(user) is None
    context["district"] = Unit.objects.filter(kind=UnitKind.DISTRICT, parent=None).first()
    return render(request, "web/home.html", context)


class SubanLoginView(auth_views.LoginView):
    redirect_authenticated_user = True


class SubanPasswordChangeView(auth_views.PasswordChangeView):
    success_url = reverse_lazy("home")
    template_name = "registration/password_change.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.user.is_authenticated and request.user.is_citizen:
            return redirect("h5:home")  # a citizen logs in with an SMS code and has no password to change
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form: Any) -> HttpResponse:
        messages.success(self.request, _("Your password has been changed."))
        return super().form_valid(form)


@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok", "database": connection.vendor})
