"""Reading a three-level taxonomy file (一级分类,二级分类,三级分类) into rows of names."""

from __future__ import annotations

import csv
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

from suban.errors import Invalid

HEADER = ("一级分类", "二级分类", "三级分类")
PACKAGED = Path(__file__).resolve().parent / "data" / "taxonomy.csv"

Row = tuple[str, str, str]


def shared_path() -> Path:
    """The contest data beside the repository (../shared), which CI has and a newcomer may not."""
    return Path(settings.BASE_DIR).parent / "shared" / "data" / "teddy2020c" / "taxonomy.csv"


def demo_path() -> Path:
    """What the demo loads: ../shared when it is there, otherwise the packaged copy."""
    shared = shared_path()
    return shared if shared.is_file() else PACKAGED


def read_taxonomy(path: Path) -> list[Row]:
    """The file's rows, stripped, header and blank lines skipped; Invalid naming the line of a bad row."""
    if not path.is_file():
        raise Invalid(_("There is no taxonomy file at %(path)s.") % {"path": path}, field="csv")
    rows: list[Row] = []
    with path.open(encoding="utf-8-sig", newline="") as handle:
        for line, cells in enumerate(csv.reader(handle), start=1):
            cells = [cell.strip() for cell in cells]
            if not any(cells) or (line == 1 and tuple(cells) == HEADER):
                continue
            if len(cells) != 3 or not all(cells):
                raise Invalid(
                    _("Line %(line)d: expected three non-empty names (一级分类,二级分类,三级分类).") % {"line": line},
                    field="csv",
                )
            rows.append((cells[0], cells[1], cells[2]))
    return rows
