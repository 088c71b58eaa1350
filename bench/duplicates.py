"""How well the duplicate finder tells the same problem from another one at the same place.

bench/data/duplicate_pairs.csv holds 244 pairs of real teddy2020c messages that name the same place (a housing
estate, a road, a village, a school), each labelled by hand: 1 when a dispatcher would merge them (the same
problem there), 0 when they are different problems at that place. The finder's place filter (same grid or
300 m) lets exactly such pairs through; its text likeness must tell them apart. Each pair is scored as
suban.intel.duplicates scores a request against its candidates, alone and among 5 and 20 other messages
(a quiet and a busy grid), and the share found and the share right are printed at MIN_SCORE and around it.

Run: .venv/bin/python bench/duplicates.py
"""

from __future__ import annotations

import csv
import os
import random
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "suban.settings")

import django

django.setup()

from sklearn.metrics import roc_auc_score  # noqa: E402

from suban.intel.duplicates import MIN_SCORE, similarities  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data" / "teddy2020c"
if not DATA.exists():
    DATA = Path("/work/shared/data/teddy2020c")
# Read in this order; an id found again in a later file stands for the later row (three ids repeat).
FILES = ("messages_with_replies.csv", "messages_unlabeled.csv", "messages_labeled_train.csv")
POOLS = (0, 5, 20)
THRESHOLDS = (0.20, 0.22, MIN_SCORE, 0.27, 0.30, 0.35)


def messages() -> dict[str, tuple[str, str]]:
    found: dict[str, tuple[str, str]] = {}
    for name in FILES:
        with open(DATA / name, encoding="utf-8-sig", newline="") as handle:
            for row in csv.DictReader(handle):
                found[row["留言编号"]] = (row["留言主题"], row["留言详情"])
    return found


def main() -> int:
    texts = messages()
    with open(ROOT / "bench" / "data" / "duplicate_pairs.csv", encoding="utf-8", newline="") as handle:
        pairs = [(row["id_a"], row["id_b"], int(row["same"])) for row in csv.DictReader(handle)]
    ids = sorted(texts)
    labels = np.array([same for _a, _b, same in pairs])
    print(f"{len(pairs)} pairs, {labels.sum()} the same problem; MIN_SCORE {MIN_SCORE}")
    for pool in POOLS:
        scores = []
        for index, (a, b, _same) in enumerate(pairs):
            others = [texts[b]] + [texts[i] for i in random.Random(index).sample(ids, pool) if i not in (a, b)]
            scores.append(similarities(texts[a], others)[0])
        s = np.array(scores)
        cells = []
        for t in THRESHOLDS:
            offered = s >= t
            right = int((offered & (labels == 1)).sum())
            cells.append(f"{t:.2f}: found {right / labels.sum():.2f}, right {right / max(int(offered.sum()), 1):.2f}")
        print(f"among {pool:2d} others: AUC {roc_auc_score(labels, s):.3f} | " + " | ".join(cells))
    return 0


if __name__ == "__main__":
    sys.exit(main())
