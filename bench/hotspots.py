"""Hotspot speed: 100,000 requests made from the real messages in shared/data, clustered end to end.

The requests are the real teddy2020c and fuzhou12345 messages, sampled with replacement and perturbed (a few
characters dropped, place codes changed, dates spread over two years, random likes), so that the vocabulary
and the duplicate structure look like a district's year rather than 100,000 copies of 7,000 texts.

Run: .venv/bin/python bench/hotspots.py
"""

from __future__ import annotations

import os
import re
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "suban.settings")

import django

django.setup()

from suban.intel.hotspots import Report, find_hotspots  # noqa: E402
from suban.intel.textio import read_table  # noqa: E402

N = 100_000
ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data"
if not DATA.exists():
    DATA = Path("/work/shared/data")
SOURCES = [
    ("teddy2020c/messages_labeled_train.csv", "留言主题", "留言详情"),
    ("teddy2020c/messages_unlabeled.csv", "留言主题", "留言详情"),
    ("teddy2020c/messages_with_replies.csv", "留言主题", "留言详情"),
    ("fuzhou12345/fuzhou12345_heichou_requests.csv", "标题", "投诉件内容"),
]
PLACE = re.compile(r"[A-L]\d{0,2}(?=[市区县])")


def real_messages() -> list[tuple[str, str]]:
    found = []
    for name, title, text in SOURCES:
        table = read_table(DATA / name, [title, text])
        found.extend(zip(table.texts([title]), table.texts([title, text]), strict=True))
    return found


def perturb(text: str, rng: np.random.Generator, place: str) -> str:
    text = PLACE.sub(place, text)
    if len(text) > 20:
        cut = rng.integers(0, len(text) - 5, size=3)
        for c in sorted(cut.tolist(), reverse=True):
            text = text[:c] + text[c + 1 :]
    return text


def make_reports(rng: np.random.Generator) -> list[Report]:
    messages = real_messages()
    picks = rng.integers(0, len(messages), size=N)
    start = datetime(2024, 1, 1)
    offsets = rng.uniform(0, 730 * 86400, size=N)
    likes = rng.poisson(0.5, size=N)
    reports = []
    for k in range(N):
        title, text = messages[picks[k]]
        place = f"{chr(65 + int(rng.integers(0, 12)))}{int(rng.integers(1, 13))}"
        reports.append(
            Report(
                id=str(k),
                title=perturb(title, rng, place),
                text=perturb(text, rng, place),
                time=start + timedelta(seconds=float(offsets[k])),
                support=float(likes[k]),
            )
        )
    return reports


def main() -> int:
    rng = np.random.default_rng(2026)
    reports = make_reports(rng)
    started = time.perf_counter()
    found = find_hotspots(reports, top=None)
    seconds = time.perf_counter() - started
    members = sum(len(h.ids) for h in found)
    print(
        f"hotspots: {len(reports)} requests clustered in {seconds:.1f} s total "
        f"({len(found)} groups of 2+, {members} requests in them; hottest: {found[0].title if found else '-'})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
