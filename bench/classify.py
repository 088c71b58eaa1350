"""Classification speed: one message at a time, as a new case arrives, with the model the README measures.

Trains the first-level classifier on teddy2020c's 958 labelled messages (the unlabelled ones shape its text
space, the taxonomy's names give the keyword features, as the README's figures are made), then classifies
1,000 real messages it has not seen, one call each.

Run: .venv/bin/python bench/classify.py
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "suban.settings")

import django

django.setup()

from suban.intel.classifier import Message, TextClassifier, read_keywords  # noqa: E402
from suban.intel.textio import read_table  # noqa: E402

CASES = 1_000
ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data" / "teddy2020c"
if not DATA.exists():
    DATA = Path("/work/shared/data/teddy2020c")
COLUMNS = ["留言主题", "留言详情"]


def messages(name: str) -> list[Message]:
    table = read_table(DATA / name, COLUMNS)
    return [Message(title=t, text=x) for t, x in zip(table.texts(COLUMNS[:1]), table.texts(COLUMNS), strict=True)]


def main() -> int:
    labelled = read_table(DATA / "messages_labeled_train.csv", [*COLUMNS, "一级标签"])
    train = [
        Message(title=t, text=x) for t, x in zip(labelled.texts(COLUMNS[:1]), labelled.texts(COLUMNS), strict=True)
    ]
    unseen = messages("messages_unlabeled.csv")
    started = time.perf_counter()
    model = TextClassifier.train(
        train,
        labelled.column("一级标签"),
        unlabelled=unseen + messages("messages_with_replies.csv"),
        keywords=read_keywords(DATA / "taxonomy.csv"),
    )
    training = time.perf_counter() - started
    model.predict([unseen[0]])  # warm-up: first call pays for lazy imports
    times = np.empty(CASES)
    cpu = np.empty(CASES)  # this thread's CPU time: what the call costs when other work takes the cores
    for k in range(CASES):
        message = unseen[k % len(unseen)]
        t, c = time.perf_counter_ns(), time.thread_time_ns()
        prediction = model.predict([message])[0]
        times[k], cpu[k] = time.perf_counter_ns() - t, time.thread_time_ns() - c
        assert 0.0 <= prediction.confidence <= 1.0
    times /= 1e6  # ns → ms
    cpu /= 1e6
    print(
        f"classify: {CASES} single messages, mean {times.mean():.2f} ms p50 {np.percentile(times, 50):.2f} ms "
        f"p99 {np.percentile(times, 99):.2f} ms per case (training on {len(train)} rows: {training:.1f} s)"
    )
    print(f"  CPU time per case: mean {cpu.mean():.2f} ms p99 {np.percentile(cpu, 99):.2f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
