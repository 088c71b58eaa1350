"""Logging in by phone number and SMS code, and out."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from suban.accounts import sms_login
from suban.audit.services import client_ip
from suban.errors import DomainError
from suban.h5.access import safe_next
from suban.h5.forms import LoginForm

CODE_WAIT_SECONDS = 60  # how long the send button waits before it may be pressed again


def _codes_in_log() -> bool:
    """Development: the SMS gateway writes codes to the server log instead of sending them."""
    return bool(settings.DEBUG and getattr(settings, "SMS_GATEWAY", "") == "log")


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


@require_http_methods(["GET", "POST"])
def login_page(request: HttpRequest) -> HttpResponse:
    home = reverse("h5:home")
    if request.method == "GET" and request.user.is_authenticated and request.user.is_citizen:
        return HttpResponseRedirect(safe_next(request, home))
    form = LoginForm(request.POST or None)
    sent = False
    if request.method == "POST" and form.is_valid():
        phone = form.cleaned_data["phone"].strip()
        if request.POST.get("action") == "send":
            try:
                sms_login.send_code(phone, ip=client_ip(request) or "")
            except DomainError as exc:
                form.add_error("phone", exc.message)
            else:
                sent = True
            if _is_htmx(request):
                return render(
                    request,
                    "h5/_code_status.html",
                    {"form": form, "sent": sent, "wait": CODE_WAIT_SECONDS, "codes_in_log": _codes_in_log()},
                )
        else:
            code = form.cleaned_data["code"].strip()
            if not code:
                form.add_error("code", _("Enter the code from the SMS."))
            else:
                try:
                    user = sms_login.verify_code(phone, code)
                except DomainError as exc:
                    form.add_error("phone" if exc.field == "phone" else "code", exc.message)
                else:
                    sms_login.login_citizen(request, user)
                    return HttpResponseRedirect(safe_next(request, home))
    context = {
        "form": form,
        "sent": sent,
        "wait": CODE_WAIT_SECONDS,
        "codes_in_log": _codes_in_log(),
        "next": request.POST.get("next") or request.GET.get("next") or "",
    }
    return render(request, "h5/login.html", context)


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    return HttpResponseRedirect(reverse("h5:login"))
