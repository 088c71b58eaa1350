"""The demo's routing model: trained from the packaged labelled messages, kept when it is already there, and
read by the suggestions (the newest dated model of the district wins over it)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from suban.catalogue.models import Matter
from suban.demo.seed_model import NAME, TRAINING, train_demo_model
from suban.intel.suggest import current_model, model_file

pytestmark = pytest.mark.django_db


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


def test_the_catalogue_names_its_matters_for_the_model_and_a_new_catalogue_trains_it_again(
    settings: Any, tmp_path: Path
) -> None:
    settings.VAR_DIR = tmp_path
    settings.INTEL_MATTER_MODEL = ""
    top = Matter.objects.create(code="T1", name="交通运输", full_name="交通运输", level=1)
    Matter.objects.create(code="T1.1", name="出租车管理", full_name="交通运输 / 出租车管理", level=2, parent=top)
    assert train_demo_model(per_label=6) is not None
    model = current_model()
    assert model is not None and model.meta["features"]["keyword_labels"] == ["交通运输"]
    assert train_demo_model(per_label=6) is None
    Matter.objects.create(code="T1.2", name="客货运输", full_name="交通运输 / 客货运输", level=2, parent=top)
    assert train_demo_model(per_label=6) is not None  # the catalogue changed: trained again
