"""Finding a source and the mapping a request or a page names."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from suban.errors import NotFound
from suban.exchange.checking import checked_mapping
from suban.exchange.mapping import ORDER_FIELDS, CheckedMapping
from suban.exchange.models import ColumnMapping, Source, SourceKind

# A push without a saved mapping uses our own field names as its keys.
IDENTITY: dict[str, Any] = {"columns": {f.name: f.name for f in ORDER_FIELDS}, "values": {}, "options": {}}


def source_named(name: str) -> Source:
    source = Source.objects.filter(name=name).first()
    if source is None:
        raise NotFound(_("There is no source called %(name)s.") % {"name": name}, field="source")
    return source


def mapping_of(source: Source, name: str = "") -> ColumnMapping | None:
    """The named mapping, or the source's "default" one, or its only one."""
    mappings = list(source.mappings.all())
    if name:
        found = next((m for m in mappings if m.name == name), None)
        if found is None:
            raise NotFound(_("The source has no mapping called %(name)s.") % {"name": name}, field="mapping")
        return found
    default = next((m for m in mappings if m.name == "default"), None)
    return default or (mappings[0] if len(mappings) == 1 else None)


def plan_of(source: Source, name: str = "") -> CheckedMapping:
    """The mapping checked for its source's kind: a past system's may name the history fields."""
    mapping = mapping_of(source, name)
    historical = source.kind == SourceKind.HISTORY
    return checked_mapping(mapping if mapping is not None else IDENTITY, historical=historical)
