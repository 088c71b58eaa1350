"""Convenience services (便民服务): the list, one service, and asking for it to be handled for you (代办)."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from suban.accounts.access import acting
from suban.errors import DomainError
from suban.h5.access import citizen_required
from suban.h5.forms import ProxyForm
from suban.h5.models import ConvenienceService
from suban.h5.services import h5_request_service


@citizen_required
@require_GET
def services(request: HttpRequest) -> HttpResponse:
    items = ConvenienceService.objects.filter(is_active=True).select_related("unit")
    return render(request, "h5/services.html", {"services": items})


@citizen_required
@require_http_methods(["GET", "POST"])
def service(request: HttpRequest, pk: int) -> HttpResponse:
    item = ConvenienceService.objects.filter(pk=pk, is_active=True).select_related("unit", "matter").first()
    if item is None:
        raise Http404(_("This service is not offered at the moment."))
    if request.method == "GET":
        form = ProxyForm(initial={"key": uuid.uuid4()})
        return render(request, "h5/service.html", {"service": item, "form": form})
    form = ProxyForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            case, created = h5_request_service(
                by=acting(request),
                key=data["key"],
                service=item,
                note=data["note"],
                contact_name=data["contact_name"],
                contact_phone=data["contact_phone"],
                address=data["address"],
            )
        except DomainError as exc:
            field = exc.field if exc.field in form.fields else None
            if exc.field == "phone":  # the phone number is checked where it is stored
                field = "contact_phone"
            form.add_error(field, exc.message)
        else:
            if not created:
                messages.info(request, _("This request had already been submitted; here it is."))
            return HttpResponseRedirect(reverse("h5:submitted", args=[case.number]))
    if "key" in form.errors:
        data = request.POST.copy()
        data["key"] = str(uuid.uuid4())
        form = ProxyForm(data)
        form.is_valid()
    return render(request, "h5/service.html", {"service": item, "form": form})
