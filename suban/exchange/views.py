"""The exchange pages of the console (dispatch centre): sources and their mappings, upload and check a file,
see the preview and the report, import, download the errors, export in the source's layout."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import datetime
from functools import wraps
from typing import Any

from django.contrib import messages
from django.db import IntegrityError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from suban.accounts.access import acting, staff_required
from suban.accounts.scope import scope
from suban.audit.services import audit_record
from suban.crypto import mask_phone
from suban.errors import DomainError, Forbidden
from suban.exchange.access import may_exchange, require_exchange
from suban.exchange.checking import check_file, checked_mapping
from suban.exchange.forms import MappingEditorForm, MappingForm, SourceForm, UploadForm, mapping_text
from suban.exchange.mapping import BY_NAME
from suban.exchange.models import BatchState, ImportBatch, Source, SourceKind
from suban.exchange.orders import batch_check
from suban.exchange.reader import read_source_file
from suban.exchange.results import export_csv, export_xlsx
from suban.exchange.services import batch_import, mapping_save, source_create
from suban.exchange.sources import mapping_of
from suban.spreadsheet import csv_text

PREVIEW_ROWS = 8
SHOWN_ERRORS = 200
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def exchange_required(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    @staff_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not may_exchange(request.user):
            reason = _("Work-order exchange is for the dispatch centre.")
            return render(request, "console/refused.html", {"reason": reason}, status=403)
        return view(request, *args, **kwargs)

    return wrapper


def _batches(request: HttpRequest) -> QuerySet[ImportBatch]:
    """Batches of the people within the same reach (another district's uploads stay theirs)."""
    return scope(ImportBatch.objects.select_related("source", "by"), request.user, path_fields=("by__unit__path",))


def _source(name: str) -> Source:
    source = Source.objects.filter(name=name).first()
    if source is None:
        raise Http404
    return source


def _refusal(request: HttpRequest, source: Source) -> str | None:
    """Why the user may not manage this source (one bound to another account), or None when they may."""
    try:
        require_exchange(acting(request), source)
    except Forbidden as exc:
        return exc.message
    return None


@exchange_required
@require_http_methods(["GET", "POST"])
def home(request: HttpRequest) -> HttpResponse:
    form = SourceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        source = source_create(
            by=acting(request), name=data["name"], label=data["label"], kind=data["kind"], request=request
        )
        return redirect("exchange:source", name=source.name)
    context = {
        "sources": Source.objects.prefetch_related("mappings"),
        "batches": _batches(request)[:20],
        "form": form,
    }
    return render(request, "exchange/home.html", context)


@exchange_required
@require_http_methods(["GET", "POST"])
def source_page(request: HttpRequest, name: str) -> HttpResponse:
    source = _source(name)
    historical = source.kind == SourceKind.HISTORY
    mapping_form = MappingForm(source=source, initial={"spec": mapping_text(mapping_of(source))})
    upload_form = UploadForm(source=source)
    refusal = _refusal(request, source)
    if request.method == "POST" and refusal is not None:  # a source bound to another account is that account's
        return render(request, "console/refused.html", {"reason": refusal}, status=403)
    if request.method == "POST" and request.POST.get("form") == "mapping":
        mapping_form = MappingForm(request.POST, source=source)
        if mapping_form.is_valid():
            mapping = mapping_save(
                by=acting(request),
                source=source,
                name=mapping_form.cleaned_data["name"],
                spec=mapping_form.cleaned_data["spec"],
                replace=True,
                request=request,
            )
            messages.success(request, _("The mapping %(name)s is saved.") % {"name": mapping.name})
            return redirect("exchange:source", name=source.name)
    elif request.method == "POST":
        upload_form = UploadForm(request.POST, request.FILES, source=source)
        if upload_form.is_valid():
            upload = upload_form.cleaned_data["file"]
            try:
                batch = batch_check(
                    source=source,
                    mapping=upload_form.cleaned_data["mapping"],
                    file_name=upload.name,
                    data=upload.read(),
                    by=acting(request),
                    historical=historical,
                )
            except DomainError as exc:
                upload_form.add_error("file", exc.message)
            else:
                return redirect("exchange:batch", pk=batch.pk)
    context = {
        "source": source,
        "historical": historical,
        "mappings": source.mappings.all(),
        "mapping_form": mapping_form,
        "upload_form": upload_form,
        "batches": _batches(request).filter(source=source)[:20],
        "fields": [f for f in BY_NAME.values() if historical or not f.history_only],
        "may_manage": refusal is None,
    }
    return render(request, "exchange/source.html", context)


@exchange_required
@require_http_methods(["GET", "POST"])
def mapping_edit(request: HttpRequest, name: str, mapping: str = "") -> HttpResponse:
    """A mapping as a form: the source's column of each of our fields, its words for our values, the options."""
    source = _source(name)
    refusal = _refusal(request, source)
    if refusal is not None:
        return render(request, "console/refused.html", {"reason": refusal}, status=403)
    instance = None
    if mapping:
        instance = source.mappings.filter(name=mapping).first()
        if instance is None:
            raise Http404
    form = MappingEditorForm(request.POST or None, source=source, instance=instance)
    if request.method == "POST" and form.is_valid():
        try:
            saved = mapping_save(
                by=acting(request),
                source=source,
                name=form.cleaned_data["name"],
                spec=form.spec,
                mapping=instance,
                request=request,
            )
        except IntegrityError:  # the same name saved by someone else meanwhile
            form.add_error("name", form.name_taken())
        else:
            messages.success(request, _("The mapping %(name)s is saved.") % {"name": saved.name})
            return redirect("exchange:source", name=source.name)
    context = {"source": source, "mapping": instance, "form": form, "historical": form.historical}
    return render(request, "exchange/mapping.html", context)


def _batch(request: HttpRequest, pk: int) -> ImportBatch:
    batch = _batches(request).filter(pk=pk).select_related("mapping").first()
    if batch is None:
        raise Http404
    return batch


def _preview(batch: ImportBatch) -> dict[str, Any]:
    """The first rows as the file has them and as the mapping reads them."""
    if batch.mapping is None or not batch.file:
        return {}
    plan = checked_mapping(batch.mapping, historical=batch.historical)
    with batch.file.open("rb") as handle:
        table = read_source_file(handle.read(), limit=PREVIEW_ROWS)
    checked = check_file(batch.source, plan, b"", file=table)
    names = [n for n in plan.columns if BY_NAME[n].kind != "list"]
    rows = []
    for mapped in checked.rows:
        shown = []
        for name in names:
            shown.append(_shown(name, mapped.values.get(name)))
        rows.append({"row": mapped.row, "values": shown, "problems": mapped.problems})
    return {
        "preview_headers": [(str(BY_NAME[n].label), plan.column_label(n)) for n in names],
        "preview_rows": rows,
    }


def _shown(name: str, value: Any) -> str:
    """A checked value as the preview shows it: the phone masked, our values by their labels."""
    if value is None:
        return ""
    if name == "phone":
        return mask_phone(value)
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    choices = BY_NAME[name].choices
    if choices is not None:
        return str(choices(value).label)
    return str(getattr(value, "name", value))


@exchange_required
@require_GET
def batch_page(request: HttpRequest, pk: int) -> HttpResponse:
    batch = _batch(request, pk)
    context: dict[str, Any] = {
        "batch": batch,
        "errors": batch.errors[:SHOWN_ERRORS],
        "more_errors": max(0, len(batch.errors) - SHOWN_ERRORS),
        "can_run": batch.state != BatchState.DONE,
        "importable": batch.rows - batch.failed - batch.duplicates,
    }
    if batch.state != BatchState.DONE:
        try:
            context.update(_preview(batch))
        except DomainError as exc:
            context["preview_error"] = exc.message
    return render(request, "exchange/batch.html", context)


@exchange_required
@require_POST
def batch_run_view(request: HttpRequest, pk: int) -> HttpResponse:
    batch = _batch(request, pk)
    valid_rows = request.POST.get("valid_rows") == "1"
    try:
        batch = batch_import(batch=batch, by=acting(request), valid_rows=valid_rows, request=request)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("exchange:batch", pk=batch.pk)
    if batch.state == BatchState.DONE:
        messages.success(
            request,
            _("%(created)d cases created, %(duplicates)d already imported before, %(failed)d rows left out.")
            % {"created": batch.created, "duplicates": batch.duplicates, "failed": batch.failed},
        )
    else:
        messages.error(request, _("Nothing was imported: the file has errors. See the report."))
    return redirect("exchange:batch", pk=batch.pk)


@exchange_required
@require_GET
def batch_errors(request: HttpRequest, pk: int) -> HttpResponse:
    batch = _batch(request, pk)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([_("Row"), _("Column"), _("Problem")])
    for error in batch.errors:
        writer.writerow([error["row"], csv_text(error["column"]), csv_text(error["message"])])
    response = HttpResponse(out.getvalue().encode("utf-8-sig"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(True, f"errors-{batch.pk}.csv")
    return response


@exchange_required
@require_GET
def export(request: HttpRequest, name: str, fmt: str) -> HttpResponse:
    source = _source(name)
    if fmt not in ("csv", "xlsx"):
        raise Http404
    try:
        mapping = mapping_of(source, request.GET.get("mapping", ""))
    except DomainError:
        raise Http404 from None
    if mapping is None:
        messages.error(request, _("Save a mapping first: the export uses its layout."))
        return redirect(reverse("exchange:source", kwargs={"name": source.name}))
    plan = checked_mapping(mapping, historical=source.kind == SourceKind.HISTORY)
    if fmt == "csv":
        response = HttpResponse(export_csv(source, plan, acting(request)), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(export_xlsx(source, plan, acting(request)), content_type=XLSX)
    audit_record(action="exchange.export", actor=request.user, target=source, detail={"format": fmt}, request=request)
    response["Content-Disposition"] = content_disposition_header(True, f"{source.name}-{mapping.name}.{fmt}")
    return response
