"""The import page in the admin's look, and the template and export downloads."""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from suban.accounts.access import acting
from suban.audit.services import audit_record
from suban.masterdata.columns import KIND_PERMISSIONS, ImportKind
from suban.masterdata.forms import ImportForm
from suban.masterdata.importers import import_file
from suban.masterdata.templates_xlsx import XLSX_CONTENT_TYPE, export_workbook, template_workbook


def _allowed_kinds(request: HttpRequest) -> list[tuple[str, str]]:
    return [(kind, str(label)) for kind, label in ImportKind.choices if request.user.has_perm(KIND_PERMISSIONS[kind])]


def _require_kind(request: HttpRequest, kind: str) -> None:
    if not request.user.has_perm(KIND_PERMISSIONS[kind]):
        raise PermissionDenied


@login_required
@require_http_methods(["GET", "POST"])
def import_page(request: HttpRequest) -> HttpResponse:
    kinds = _allowed_kinds(request)
    if not kinds:
        raise PermissionDenied
    result = None
    if request.method == "POST":
        kind = request.POST.get("kind", "")
        if kind in ImportKind.values:
            _require_kind(request, kind)
        form = ImportForm(request.POST, request.FILES, kinds=kinds)
        if form.is_valid():
            data = form.cleaned_data["file"].read()
            result = import_file(kind, data, by=acting(request), dry_run=form.cleaned_data["dry_run"])
            if result.ok and not result.dry_run:
                messages.success(request, f"{ImportKind(kind).label}: {result.summary()}")
                return redirect(f"{reverse('masterdata:import')}?kind={kind}")
    else:
        form = ImportForm(kinds=kinds, initial={"kind": request.GET.get("kind") or kinds[0][0]})
    context = {
        **admin.site.each_context(request),
        "title": _("Import master data"),
        "form": form,
        "result": result,
        "kinds": kinds,
    }
    return render(request, "masterdata/import.html", context)


def _xlsx(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


@login_required
@require_GET
def template_download(request: HttpRequest, kind: str) -> HttpResponse:
    _require_kind(request, kind)
    return _xlsx(template_workbook(kind), f"{kind}-template.xlsx")


@login_required
@require_GET
def export_download(request: HttpRequest, kind: str) -> HttpResponse:
    _require_kind(request, kind)
    data = export_workbook(kind)
    audit_record(action="masterdata.export", actor=request.user, detail={"kind": kind}, request=request)
    return _xlsx(data, f"{kind}-{timezone.localdate():%Y%m%d}.xlsx")
