"""Grids as GeoJSON: download (GET /org/grids.geojson) and upload (/org/grids/import/)."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.contrib.auth.decorators import login_required, permission_required
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from suban.errors import DomainError, NotFound
from suban.org.geojson_io import ImportResult, grids_export, grids_import, units_for_export
from suban.org.grid_index import invalidate_grid_index

MAX_UPLOAD_BYTES = 50 * 1024 * 1024


class GridImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("GeoJSON file"),
        help_text=gettext_lazy("A FeatureCollection; each feature's properties give code, name, kind and parent_code."),
    )

    def clean_file(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["file"]
        if upload.size is not None and upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is larger than %(mb)d MB.") % {"mb": MAX_UPLOAD_BYTES // 2**20})
        return upload


@require_GET
@login_required
@permission_required("org.view_unit", raise_exception=True)
def grids_geojson(request: HttpRequest) -> HttpResponse:
    try:
        units = units_for_export(under=request.GET.get("under") or None)
    except NotFound as exc:
        return JsonResponse({"error": exc.message}, status=404, json_dumps_params={"ensure_ascii": False})
    return JsonResponse(
        grids_export(units), content_type="application/geo+json", json_dumps_params={"ensure_ascii": False}
    )


@require_http_methods(["GET", "POST"])
@login_required
@permission_required("org.change_unit", raise_exception=True)
def grids_import_page(request: HttpRequest) -> HttpResponse:
    result: ImportResult | None = None
    form = GridImportForm(request.POST, request.FILES) if request.method == "POST" else GridImportForm()
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            result = grids_import(by=request.user, data=form.cleaned_data["file"].read())
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            if result.ok:
                invalidate_grid_index()
    if request.method == "POST" and (form.errors or (result is not None and not result.ok)):
        status = 400
    context = {
        **admin.site.each_context(request),
        "title": _("Import grids from GeoJSON"),
        "form": form,
        "result": result,
    }
    return render(request, "org/grids_import.html", context, status=status)
