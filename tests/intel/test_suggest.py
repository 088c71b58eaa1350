from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from suban.cases.services import case_submit
from suban.catalogue.models import Level, Matter, Responsibility
from suban.intel.classifier import Message, TextClassifier
from suban.intel.models import Correction
from suban.intel.suggest import auto_route, record_correction, suggest
from suban.org.models import Unit
from tests.conftest import Cast
from tests.intel.conftest import LABELLED


@pytest.fixture(scope="module")
def model() -> TextClassifier:
    return TextClassifier.train([Message.of(t, x) for t, x, _ in LABELLED], [label for _, _, label in LABELLED])


@pytest.fixture
def matters(org: dict[str, Unit]) -> dict[str, Matter]:
    found = {}
    for k, name in enumerate(["交通运输", "教育文体", "环境保护"]):
        found[name] = Matter.objects.create(code=f"M{k}", name=name, full_name=name, level=1)
    Responsibility.objects.create(matter=found["交通运输"], start_level=Level.DEPARTMENT, department=org["DEPT1"])
    return found


def test_it_suggests_the_top_three_matters_with_their_units(
    cast: Cast, matters: dict[str, Matter], model: TextClassifier, org: dict[str, Unit]
) -> None:
    case = case_submit(by=cast.cindy, title="公交站台被拆", text="小区门口公交车站被拆除，坐公交车不方便")
    found = suggest(case, model=model)
    assert found[0].matter == matters["交通运输"]
    assert len(found) == 3
    assert found[0].unit == org["DEPT1"]
    assert all(0.0 <= s.confidence <= 1.0 for s in found)
    assert [s.confidence for s in found] == sorted((s.confidence for s in found), reverse=True)


def test_it_routes_by_itself_only_above_the_threshold(
    cast: Cast, matters: dict[str, Matter], model: TextClassifier, settings: Any
) -> None:
    case = case_submit(by=cast.cindy, title="公交站台被拆", text="小区门口公交车站被拆除，坐公交车不方便")
    found = suggest(case, model=model)
    settings.INTEL_AUTO_ROUTE = 0.0
    assert auto_route(found) == found[0]
    settings.INTEL_AUTO_ROUTE = 1.01
    assert auto_route(found) is None


def test_without_a_model_there_are_no_suggestions(cast: Cast, settings: Any, tmp_path: Path) -> None:
    settings.INTEL_MATTER_MODEL = str(tmp_path / "none.joblib")
    case = case_submit(by=cast.cindy, title="路灯不亮", text="路灯坏了")
    assert suggest(case) == []


def test_a_correction_is_stored_and_exported_for_the_next_training(
    cast: Cast, matters: dict[str, Matter], model: TextClassifier, tmp_path: Path
) -> None:
    case = case_submit(by=cast.cindy, title="公交站台被拆", text="小区门口公交车站被拆除")
    found = suggest(case, model=model)
    assert record_correction(case=case, chosen=found[0].matter, by=cast.dora, suggestions=found) is None
    correction = record_correction(case=case, chosen=matters["环境保护"], by=cast.dora, suggestions=found)
    assert correction is not None
    assert (correction.suggested, correction.chosen, correction.by) == ("交通运输", "M2", cast.dora)
    assert Correction.objects.count() == 1
    case.matter = matters["环境保护"]
    case.save(update_fields=["matter"])
    out = tmp_path / "cases.csv"
    call_command("export_training_cases", out=str(out))
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "编号,标题,内容,事项,一级事项,性质,纠正"
    assert lines[1].endswith(",M2,环境保护,help,1")


def test_a_model_of_an_older_format_gives_no_suggestions_instead_of_failing(settings, tmp_path, caplog):
    import joblib

    from suban.intel import suggest

    old = tmp_path / "matter-20250101.joblib"
    joblib.dump({"format": 1, "featurizer": None, "svm": None, "calibrator": None, "labels": []}, old)
    settings.INTEL_MATTER_MODEL = str(old)
    suggest._loaded.clear()
    assert suggest.current_model() is None
    assert "train" in caplog.text and "format 1" in caplog.text
    assert suggest.current_model() is None  # said once: the next call reads the cache
    assert caplog.text.count("not loaded") == 1


def test_the_export_also_writes_the_unlabelled_cases_and_the_catalogue_for_training(
    cast: Cast, matters: dict[str, Matter], tmp_path: Path
) -> None:
    from suban.intel.classifier import read_keywords
    from suban.intel.textio import read_table

    labelled = case_submit(by=cast.cindy, title="公交站台被拆", text="小区门口公交车站被拆除")
    labelled.matter = matters["交通运输"]
    labelled.save(update_fields=["matter"])
    unlabelled = case_submit(by=cast.cindy, title="路灯不亮", text="路灯坏了一个月")
    top = matters["环境保护"]
    second = Matter.objects.create(code="M2.1", name="噪声污染", full_name="环境保护 / 噪声污染", level=2, parent=top)
    Matter.objects.create(code="M2.1.1", name="施工噪声", full_name="...", level=3, parent=second)
    Matter.objects.create(code="M2.1.2", name="停用的", full_name="...", level=3, parent=second, is_active=False)
    hidden = Matter.objects.create(code="M9", name="停用类", full_name="停用类", level=1, is_active=False)
    Matter.objects.create(code="M9.1", name="其下", full_name="停用类 / 其下", level=2, parent=hidden)

    out, unlabelled_out, taxonomy = tmp_path / "cases.csv", tmp_path / "u.csv", tmp_path / "t.csv"
    call_command("export_training_cases", out=str(out), unlabelled_out=str(unlabelled_out), taxonomy_out=str(taxonomy))
    rows = read_table(unlabelled_out, ["编号", "标题", "内容"]).rows
    assert [(r["编号"], r["标题"]) for r in rows] == [(unlabelled.number, "路灯不亮")]
    paths = read_table(taxonomy, ["一级事项", "二级事项", "三级事项"]).rows
    assert [(r["一级事项"], r["二级事项"], r["三级事项"]) for r in paths] == [
        ("交通运输", "", ""),
        ("教育文体", "", ""),
        ("环境保护", "噪声污染", "施工噪声"),
    ]
    # what train_classifier --taxonomy reads from it: the label and its names
    assert read_keywords(taxonomy)["环境保护"] == "噪声污染 施工噪声"
