from __future__ import annotations

import json
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from suban.errors import Invalid
from suban.exchange.checking import checked_mapping
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
        except ValueError as exc:
            raise forms.ValidationError(_("This is not valid JSON: %(error)s") % {"error": exc}) from None
        if not isinstance(spec, dict):
            raise forms.ValidationError(_("A mapping is one JSON object."))
        try:
            checked_mapping(spec, historical=self.source.kind == SourceKind.HISTORY)
        except Invalid as exc:
            raise forms.ValidationError(exc.message) from None
        return spec

    def save(self) -> ColumnMapping:
        spec = self.cleaned_data["spec"]
        mapping, _new = ColumnMapping.objects.update_or_create(
            source=self.source,
            name=self.cleaned_data["name"],
            defaults={
                "columns": spec.get("columns", {}),
                "values": spec.get("values", {}),
                "options": spec.get("options", {}),
            },
        )
        return mapping


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
