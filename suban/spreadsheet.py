"""The one guard of every export a person opens in a spreadsheet (xlsx and csv): text that the spreadsheet
would read as a formula stays text.

A cell is a formula when it starts with = + - or @ (Excel, WPS and LibreOffice alike), also after leading
spaces; a leading tab, carriage return or line break is how a payload slips past guards that look at the first
character only (OWASP's list). The full-width forms ＝ ＋ － ＠ are what a Chinese input method types; they
are treated the same, since the price of a false alarm is only an apostrophe. A plain signed number ("-3.5")
is left alone: it is data, and cannot call anything.
"""

from __future__ import annotations

from typing import Any

TRIGGERS = frozenset("=+-@＝＋－＠")
BREAKS = ("\t", "\r", "\n")
SPACES = " \u3000"  # the ASCII space and the ideographic (full-width) one


def formula_like(value: Any) -> bool:
    """Whether a spreadsheet might run `value` as a formula."""
    if not isinstance(value, str) or not value:
        return False
    if value.startswith(BREAKS):
        return True
    head = value.lstrip(SPACES)
    if not head or head[0] not in TRIGGERS:
        return False
    return not (head[0] in "+-" and _number(head))


def csv_text(value: Any) -> Any:
    """A csv cell's value: formula-like text gets a leading apostrophe, the spreadsheets' mark for text."""
    return f"'{value}" if formula_like(value) else value


def _number(value: str) -> bool:
    try:
        float(value)
    except ValueError:
        return False
    return True
