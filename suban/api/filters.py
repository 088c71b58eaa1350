"""The case list's filters and ordering, applied to a queryset already scoped to the caller."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Q, QuerySet

from suban.api.schemas.cases import CaseFilters
from suban.cases.models import Alert, Case
from suban.cases.selectors import DUE_SOON_NOW, EXTENSION_ASKED, OVERDUE_NOW, order_cases, start_of
from suban.catalogue.selectors import matter_by_code, matter_subtree_ids
from suban.org.selectors import unit_by_code

# Only what a list row shows.
LIST_RELATED = ("unit", "matter")


def filter_cases(qs: QuerySet[Case], f: CaseFilters) -> QuerySet[Case]:
    if f.status:
        qs = qs.filter(status__in=[s.value for s in f.status])
    if f.unit:
        qs = qs.filter(unit=unit_by_code(f.unit, field="unit"))
    if f.under:
        qs = qs.filter(unit_path__startswith=unit_by_code(f.under, field="under").path)
    if f.case_type:
        qs = qs.filter(case_type=f.case_type)
    if f.nature:
        qs = qs.filter(nature=f.nature)
    if f.channel:
        qs = qs.filter(channel=f.channel)
    if f.matter:
        qs = qs.filter(matter_id__in=matter_subtree_ids(matter_by_code(f.matter, field="matter")))
    if f.overdue is True:
        qs = qs.filter(OVERDUE_NOW)
    elif f.overdue is False:
        qs = qs.exclude(OVERDUE_NOW)
    if f.alert:
        qs = qs.filter(OVERDUE_NOW if f.alert == Alert.RED else DUE_SOON_NOW)
    if f.extension_asked is True:
        qs = qs.filter(EXTENSION_ASKED)
    elif f.extension_asked is False:
        qs = qs.exclude(EXTENSION_ASKED)
    # Day bounds are local days, compared as instants so that the created_at index serves them.
    if f.created_after:
        qs = qs.filter(created_at__gte=start_of(f.created_after))
    if f.created_before:
        qs = qs.filter(created_at__lt=start_of(f.created_before + timedelta(days=1)))
    if f.text and f.text.strip():
        words = f.text.strip()
        qs = qs.filter(Q(title__icontains=words) | Q(text__icontains=words) | Q(number__icontains=words))
    return order_cases(qs, f.ordering)
