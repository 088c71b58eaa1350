"""The demo's routing model: a first-level matter classifier trained at seed time on the 958 labelled real
messages packaged for the demo's history (suban/demo/data/history.csv, Teddy Cup 2020 附件2, see
MESSAGES.md), so that `make run` shows the model's suggestions in the dispatch centre.

It is written as VAR_DIR/models/matter-00000000-demo.joblib: a model trained on the district's own cases
(`train_classifier ... --model var/models/matter-DATE.joblib`) sorts after it and wins. An existing demo model
trained from the same file is kept, so a second `seed_demo` costs nothing.
"""

from __future__ import annotations

import csv
import hashlib
import json
from collections import Counter
from pathlib import Path

from suban.intel.catalogue import catalogue_keywords
from suban.intel.classifier import FORMAT, Message, TextClassifier, meta_path
from suban.intel.suggest import models_folder

TRAINING = Path(__file__).resolve().parent / "data" / "history.csv"
NAME = "matter-00000000-demo.joblib"


def demo_model_path() -> Path:
    return models_folder() / NAME


def _fingerprint(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]


PER_LABEL = 60  # rows per label: enough for useful suggestions, and a seed that stays quick


def train_demo_model(*, source: Path = TRAINING, target: Path | None = None, per_label: int = PER_LABEL) -> Path | None:
    """Train and save the demo model (the first `per_label` rows of each label) unless one trained from the
    same rows is there. Returns the path of a new model, None when the existing one was kept."""
    target = target or demo_model_path()
    # The catalogue's names under each first-level matter: a prior the few rows need not teach (see README).
    keywords = catalogue_keywords()
    names = hashlib.sha256(json.dumps(keywords, sort_keys=True, ensure_ascii=False).encode()).hexdigest()[:12]
    # a model of an older format, or of another catalogue, is trained again
    stamp = f"{_fingerprint(source)}:{per_label}:format-{FORMAT}:catalogue-{names}"
    meta = meta_path(target)
    if target.exists() and meta.exists() and stamp in meta.read_text(encoding="utf-8"):
        return None
    taken: Counter[str] = Counter()
    rows = []
    with source.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            label = row["label"].strip()
            if label and taken[label] < per_label:
                taken[label] += 1
                rows.append(row)
    model = TextClassifier.train(
        [Message.of(r["title"], r["text"]) for r in rows],
        [r["label"].strip() for r in rows],
        keywords=keywords,
        meta={"source": f"suban/demo/data/{source.name}", "demo_training_stamp": stamp, "label_column": "label"},
    )
    target.parent.mkdir(parents=True, exist_ok=True)
    return model.save(target)
