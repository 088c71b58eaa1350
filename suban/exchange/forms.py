from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from suban.errors import Invalid
from suban.exchange.checking import checked_mapping
from suban.exchange.mapping import (
    BY_NAME,
    Field,
    RowProblem,
    choice_lookup,
    column_fields,
    read_bool,
    required_columns,
    value_key,
    value_map_fields,
)
from suban.exchange.models import ColumnMapping, Source, SourceKind

MAX_UPLOAD = 50 * 1024 * 1024


class SourceForm(forms.ModelForm):
    class Meta:
        model = Source
        fields = ["name", "label", "kind"]


class MappingForm(forms.Form):
    name = forms.SlugField(label=gettext_lazy("Mapping name"), max_length=40, initial="default")
    spec = forms.CharField(
        label=gettext_lazy("Mapping (JSON: columns, values, options)"),
        widget=forms.Textarea(attrs={"rows": 16, "class": "mono", "spellcheck": "false"}),
    )

    def __init__(self, *args: Any, source: Source, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.source = source

    def clean_spec(self) -> dict[str, Any]:
        try:
            spec = json.loads(self.cleaned_data["spec"])
        except json.JSONDecodeError as exc:
            # exc.msg is Python's English; the place is what helps the user find the mistake.
            raise forms.ValidationError(
                _("This is not valid JSON (line %(line)s, column %(column)s).")
                % {"line": exc.lineno, "column": exc.colno}
            ) from None
        if not isinstance(spec, dict):
            raise forms.ValidationError(_("A mapping is one JSON object."))
        try:
            checked_mapping(spec, historical=self.source.kind == SourceKind.HISTORY)
        except Invalid as exc:
            raise forms.ValidationError(exc.message) from None
        return spec


class UploadForm(forms.Form):
    mapping = forms.ModelChoiceField(label=gettext_lazy("Mapping"), queryset=ColumnMapping.objects.none())
    file = forms.FileField(label=gettext_lazy("File (.xlsx or .csv)"))

    def __init__(self, *args: Any, source: Source, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["mapping"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = source.mappings.all()

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD:
            raise forms.ValidationError(_("The file is larger than 50 MB; please split it."))
        if not upload.name.lower().endswith((".xlsx", ".csv", ".txt")):
            raise forms.ValidationError(_("Upload an .xlsx or .csv file."))
        return upload


def mapping_text(mapping: ColumnMapping | None) -> str:
    if mapping is None:
        return json.dumps({"columns": {"order_id": "", "title": ""}, "values": {}, "options": {}}, indent=2)
    return json.dumps(mapping.as_dict(), indent=2, ensure_ascii=False)


# --- the mapping editor: a mapping as form fields instead of JSON -------------------------------------------

HEADER_JOIN = " + "  # several headers in one input, as the preview shows them (CheckedMapping.column_label)
EMPTY_VALUE = "-"  # "our value" of a word the source writes for "nothing": the cell is read as empty
BLANK_VALUE_ROWS = 3
_HEADER_SPLIT = re.compile(r"\s+\+\s+")
# The options the editor shows; any other option of a saved mapping is kept as it is.
EDITED_OPTIONS = (
    "timezone",
    "datetime_formats",
    "separators",
    "defaults",
    "column_order",
    "dispatch",
    "assess",
    "coordinate_system",
)


@dataclass
class ColumnRow:
    field: Field
    required: bool
    export_only: bool
    column: forms.BoundField
    separator: forms.BoundField
    default: forms.BoundField | None


@dataclass
class ValueMapGroup:
    field: Field
    rows: list[tuple[forms.BoundField, forms.BoundField]]


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _headers_text(headers: Any) -> str:
    if isinstance(headers, list):
        return HEADER_JOIN.join(str(h) for h in headers)
    return "" if headers is None else str(headers)


def _headers_value(text: str) -> str | list[str]:
    parts = [p.strip() for p in _HEADER_SPLIT.split(text) if p.strip()]
    return parts[0] if len(parts) == 1 else parts


class MappingEditorForm(forms.Form):
    """Every part of a mapping the import knows, one input each; saving builds the JSON the import reads and
    checks it with the import's own parser (suban.exchange.mapping)."""

    name = forms.SlugField(label=gettext_lazy("Mapping name"), max_length=40, initial="default")
    timezone = forms.CharField(
        label=gettext_lazy("Time zone of the source's times"),
        required=False,
        max_length=64,
        help_text=gettext_lazy("For example Asia/Shanghai; empty: the server's time zone."),
    )
    coordinate_system = forms.ChoiceField(
        label=gettext_lazy("Coordinate system of the source's longitude and latitude"),
        choices=[
            ("wgs84", gettext_lazy("WGS-84 (GPS)")),
            ("gcj02", gettext_lazy("GCJ-02 (Amap, Tencent maps, WeChat)")),
            ("bd09", gettext_lazy("BD-09 (Baidu maps)")),
        ],
        initial="wgs84",
        required=False,
        help_text=gettext_lazy("Read into WGS-84, as every case is kept; exports give them back in this system."),
    )
    datetime_formats = forms.CharField(
        label=gettext_lazy("Date and time formats"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "class": "mono", "spellcheck": "false"}),
        help_text=gettext_lazy(
            "One a line, tried before the usual ones, e.g. %Y/%m/%d %H:%M; the first is also used by exports."
        ),
    )
    column_order = forms.CharField(
        label=gettext_lazy("Column order of exports"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "spellcheck": "false"}),
        help_text=gettext_lazy("Headers, one a line; empty: in the order of the fields above."),
    )
    dispatch = forms.BooleanField(
        label=gettext_lazy("Accept and dispatch imported orders at once"),
        required=False,
    )
    assess = forms.BooleanField(
        label=gettext_lazy("Imported historical cases count in assessment"),
        required=False,
    )

    def __init__(
        self, data: Any = None, *, source: Source, instance: ColumnMapping | None = None, **kwargs: Any
    ) -> None:
        self.source = source
        self.instance = instance
        self.historical = source.kind == SourceKind.HISTORY
        columns: dict[str, Any] = dict(instance.columns or {}) if instance is not None else {}
        values: dict[str, Any] = dict(instance.values or {}) if instance is not None else {}
        options: dict[str, Any] = dict(instance.options or {}) if instance is not None else {}
        initial: dict[str, Any] = {}
        if instance is not None:
            initial = {
                "name": instance.name,
                "timezone": options.get("timezone") or "",
                "coordinate_system": options.get("coordinate_system") or "wgs84",
                "datetime_formats": "\n".join(str(f) for f in options.get("datetime_formats") or []),
                "column_order": "\n".join(str(h) for h in options.get("column_order") or []),
                "dispatch": bool(options.get("dispatch", False)),
                "assess": bool(options.get("assess", False)),
            }
        super().__init__(data, initial=initial, **kwargs)
        del self.fields["assess" if not self.historical else "dispatch"]
        separators = options.get("separators") or {}
        defaults = options.get("defaults") or {}
        self.column_fields = column_fields(historical=self.historical)
        self.required = set(required_columns(historical=self.historical))
        for f in self.column_fields:
            self.fields[f"col_{f.name}"] = forms.CharField(
                label=f.label,
                required=False,
                max_length=1000,
                initial=_headers_text(columns.get(f.name)),
                widget=forms.TextInput(attrs={"autocomplete": "off"}),
            )
            self.fields[f"sep_{f.name}"] = forms.CharField(
                label=_("Joined by"),
                required=False,
                strip=False,
                max_length=10,
                initial=separators.get(f.name, ""),
                widget=forms.TextInput(attrs={"size": 4, "placeholder": " / "}),
            )
            if self._takes_default(f):
                default = defaults.get(f.name)
                self.fields[f"default_{f.name}"] = forms.CharField(
                    label=_("Default"),
                    required=False,
                    max_length=200,
                    initial="" if default is None else str(default),
                )
        self.value_fields = value_map_fields(historical=self.historical)
        self.value_rows: dict[str, int] = {}
        for f in self.value_fields:
            saved_table = values.get(f.name)
            table: dict[str, Any] = saved_table if isinstance(saved_table, dict) else {}
            saved_rows = [(str(theirs), self._ours_text(f, ours)) for theirs, ours in table.items()]
            count = len(saved_rows) + BLANK_VALUE_ROWS
            if data is not None:  # the rows the page had, and some empty ones again
                count = max(self._rows_posted(data, f.name), BLANK_VALUE_ROWS)
            self.value_rows[f.name] = count
            known = {str(v) for v, _label in self._our_choices(f)}
            unknown = [(ours, ours) for _theirs, ours in saved_rows if ours not in known]
            for i in range(count):
                theirs, ours = saved_rows[i] if i < len(saved_rows) else ("", "")
                self.fields[f"map_{f.name}_{i}_theirs"] = forms.CharField(
                    label=_("Their value"), required=False, max_length=200, initial=theirs
                )
                ours_field: forms.Field
                if f.kind in ("choice", "bool"):
                    ours_field = forms.ChoiceField(
                        choices=[("", "---------"), *self._our_choices(f), *unknown], required=False
                    )
                else:
                    ours_field = forms.CharField(max_length=200, required=False)
                ours_field.label = _("Our value")
                ours_field.initial = ours
                self.fields[f"map_{f.name}_{i}_ours"] = ours_field
        # What the editor does not show is kept as it is.
        shown_values = {f.name for f in self.value_fields}
        self.kept_values = {k: v for k, v in values.items() if k not in shown_values}
        self.kept_options = {k: v for k, v in options.items() if k not in self._edited_options()}
        shown_columns = {f.name for f in self.column_fields}
        self.kept_separators = {k: v for k, v in dict(separators).items() if k not in shown_columns}
        self.kept_defaults = {k: v for k, v in dict(defaults).items() if f"default_{k}" not in self.fields}
        self.spec: dict[str, Any] = {}

    # --- building -----------------------------------------------------------------------------------------

    def _takes_default(self, f: Field) -> bool:
        """Defaults fill the fields a file row reads (not the result columns of a live source's exports)."""
        return f.name in BY_NAME and f.kind != "list" and (self.historical or not f.history_only)

    def _edited_options(self) -> set[str]:
        return set(EDITED_OPTIONS) - {"assess" if not self.historical else "dispatch"}

    @staticmethod
    def _our_choices(f: Field) -> list[tuple[str, Any]]:
        empty = (EMPTY_VALUE, gettext_lazy("(read as empty)"))
        if f.kind == "bool":
            return [("true", gettext_lazy("Yes")), ("false", gettext_lazy("No")), empty]
        if f.choices is not None:
            return [*f.choices.choices, empty]
        return []

    @staticmethod
    def _ours_text(f: Field, ours: Any) -> str:
        """A saved value of a value map as the editor shows it: a choice by its value, yes/no as true/false."""
        if ours is None or ours == "":
            return EMPTY_VALUE
        if f.kind == "bool":
            said = ours if isinstance(ours, bool) else read_bool(str(ours))
            return str(ours) if said is None else ("true" if said else "false")
        if f.choices is not None:
            return choice_lookup(f.choices).get(value_key(str(ours)), str(ours))
        return str(ours)

    @staticmethod
    def _rows_posted(data: Any, name: str) -> int:
        found = re.compile(rf"^map_{re.escape(name)}_(\d+)_(theirs|ours)$")
        numbers = [int(m.group(1)) for key in data if (m := found.match(key)) and int(m.group(1)) < 500]
        return max(numbers) + 1 if numbers else 0

    def clean_name(self) -> str:
        name: str = self.cleaned_data["name"]
        taken = ColumnMapping.objects.filter(source=self.source, name=name)
        if self.instance is not None:
            taken = taken.exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError(self.name_taken())
        return name

    def name_taken(self) -> str:
        return _("The source has a mapping called %(name)s already.") % {"name": self.data.get("name", "")}

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        columns: dict[str, Any] = {}
        separators: dict[str, Any] = dict(self.kept_separators)
        defaults: dict[str, Any] = dict(self.kept_defaults)
        for f in self.column_fields:
            headers = cleaned.get(f"col_{f.name}") or ""
            if headers:
                columns[f.name] = _headers_value(headers)
            if cleaned.get(f"sep_{f.name}"):
                separators[f.name] = cleaned[f"sep_{f.name}"]
            if cleaned.get(f"default_{f.name}"):
                defaults[f.name] = cleaned[f"default_{f.name}"]
        values: dict[str, Any] = {}
        for f in self.value_fields:
            table: dict[str, Any] = {}
            seen: set[str] = set()
            for i in range(self.value_rows[f.name]):
                theirs = cleaned.get(f"map_{f.name}_{i}_theirs") or ""
                ours = cleaned.get(f"map_{f.name}_{i}_ours") or ""
                if not theirs and not ours:
                    continue
                if not theirs:
                    self.add_error(f"map_{f.name}_{i}_theirs", _("Give the source's value too."))
                    continue
                if not ours:
                    self.add_error(f"map_{f.name}_{i}_ours", _("Choose our value."))
                    continue
                if value_key(theirs) in seen:
                    self.add_error(f"map_{f.name}_{i}_theirs", _("This value is mapped above already."))
                    continue
                seen.add(value_key(theirs))
                if ours == EMPTY_VALUE:
                    table[theirs] = ""
                elif f.kind == "bool" and ours in ("true", "false"):
                    table[theirs] = ours == "true"
                else:
                    table[theirs] = ours
            if table:
                values[f.name] = table
        values.update(self.kept_values)
        options: dict[str, Any] = dict(self.kept_options)
        if cleaned.get("timezone"):
            options["timezone"] = cleaned["timezone"]
        if cleaned.get("coordinate_system") not in (None, "", "wgs84"):
            options["coordinate_system"] = cleaned["coordinate_system"]
        if formats := _lines(cleaned.get("datetime_formats") or ""):
            options["datetime_formats"] = formats
        if separators:
            options["separators"] = separators
        if defaults:
            options["defaults"] = defaults
        if order := _lines(cleaned.get("column_order") or ""):
            options["column_order"] = order
        flag = "assess" if self.historical else "dispatch"
        options[flag] = bool(cleaned.get(flag))
        spec = {"columns": columns, "values": values, "options": options}
        try:
            plan = checked_mapping(spec, historical=self.historical)
        except Invalid as exc:
            self.add_error(self._error_field(exc.field), exc.message)
            return cleaned
        for name in defaults.keys() - self.kept_defaults.keys():
            try:
                plan.convert(BY_NAME[name], defaults[name])  # as the import reads it into a row without the value
            except RowProblem as problem:
                self.add_error(f"default_{name}", problem.message)
        self.spec = spec
        return cleaned

    def _error_field(self, where: str | None) -> str | None:
        """The input a problem the parser found belongs to (it names columns.<field>, values.<field>, ...)."""
        part, _dot, name = (where or "").partition(".")
        if part == "columns" and f"col_{name}" in self.fields:
            return f"col_{name}"
        if part == "values" and f"map_{name}_0_theirs" in self.fields:
            return f"map_{name}_0_theirs"
        if part == "options" and name in self.fields:
            return name
        return None

    # --- showing ------------------------------------------------------------------------------------------

    def column_rows(self) -> list[ColumnRow]:
        return [
            ColumnRow(
                field=f,
                required=f.name in self.required,
                export_only=f.name not in BY_NAME or (f.history_only and not self.historical),
                column=self[f"col_{f.name}"],
                separator=self[f"sep_{f.name}"],
                default=self[f"default_{f.name}"] if f"default_{f.name}" in self.fields else None,
            )
            for f in self.column_fields
        ]

    def value_maps(self) -> list[ValueMapGroup]:
        return [
            ValueMapGroup(
                field=f,
                rows=[
                    (self[f"map_{f.name}_{i}_theirs"], self[f"map_{f.name}_{i}_ours"])
                    for i in range(self.value_rows[f.name])
                ],
            )
            for f in self.value_fields
        ]

    def kept(self) -> list[str]:
        """The parts of the saved mapping the editor does not show (kept as they are)."""
        return (
            [f"values.{k}" for k in self.kept_values]
            + [f"options.{k}" for k in self.kept_options]
            + [f"options.separators.{k}" for k in self.kept_separators]
            + [f"options.defaults.{k}" for k in self.kept_defaults]
        )
