"""The demo's routing model: trained from the packaged labelled messages, kept when it is already there, and
read by the suggestions (the newest dated model of the district wins over it)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from suban.demo.seed_model import NAME, TRAINING, train_demo_model
from suban.intel.suggest import current_model, model_file


def test_it_trains_from_the_packaged_messages_and_is_kept_the_second_time(settings: Any, tmp_path: Path) -> None:
    settings.VAR_DIR = tmp_path
    settings.INTEL_MATTER_MODEL = ""
    path = train_demo_model(per_label=6)
    assert path == tmp_path / "models" / NAME and path.exists()
    assert model_file() == path
    model = current_model()
    assert model is not None and len(model.labels) == 7
    assert model.meta["source"] == f"suban/demo/data/{TRAINING.name}"
    assert train_demo_model(per_label=6) is None  # the same rows: kept
    # A model trained on the district's own cases sorts after the demo's and is the one used.
    newer = tmp_path / "models" / "matter-20261130.joblib"
    newer.write_bytes(path.read_bytes())
    assert model_file() == newer
