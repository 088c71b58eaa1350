"""Reads the API needs beyond the domain's selectors. The inbox's piles live in suban.cases.selectors, shared
with the staff console."""

from __future__ import annotations

from suban.cases.selectors import EXTENSION_DECIDERS, OVERSEERS, extension_requests, inbox_counts, inbox_scope

__all__ = ["EXTENSION_DECIDERS", "OVERSEERS", "extension_requests", "inbox_counts", "inbox_scope"]
