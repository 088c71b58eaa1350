"""The one formula guard of the xlsx and csv exports (suban.spreadsheet)."""

import pytest

from suban.spreadsheet import csv_text, formula_like


@pytest.mark.parametrize(
    "value",
    [
        '=HYPERLINK("http://x")',
        "+cmd|' /C calc'!A0",
        "-2+3+cmd|' /C calc'!A0",
        "@SUM(1+1)",
        "\t=1+1",  # a leading tab slips past a first-character check
        "\r=1+1",  # and so does a carriage return
        "\n=1+1",
        "  =1+1",
        "\u3000=1+1",  # the ideographic space
        '＝HYPERLINK("http://x")',  # what a Chinese input method types
        "＋1",
        "－1+1",
        "＠SUM(A1)",
        "\tplain text after a tab",
    ],
)
def test_it_marks_formula_like_text(value):
    assert formula_like(value)
    assert csv_text(value) == "'" + value


@pytest.mark.parametrize("value", ["路灯不亮", "-3.5", "+86", "3-2", "a=b", "", " ", None, 12, -4.5])
def test_it_leaves_data_alone(value):
    assert not formula_like(value)
    assert csv_text(value) == value
