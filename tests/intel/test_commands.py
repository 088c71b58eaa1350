from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from tests.intel.conftest import write_csv

TEXT = "留言主题,留言详情"


def _train(labelled_csv: Path, model: Path) -> None:
    call_command(
        "train_classifier", csv=str(labelled_csv), text_columns=TEXT, label_column="一级标签", model=str(model)
    )


def test_train_then_classify_writes_id_label_confidence(
    labelled_csv: Path, unlabelled_csv: Path, tmp_path: Path
) -> None:
    model = tmp_path / "m.joblib"
    _train(labelled_csv, model)
    assert model.exists() and model.with_suffix(".json").exists()
    meta = json.loads(model.with_suffix(".json").read_text(encoding="utf-8"))
    assert meta["label_column"] == "一级标签" and meta["text_columns"] == ["留言主题", "留言详情"]
    out = tmp_path / "pred.csv"
    call_command(
        "classify", model=str(model), csv=str(unlabelled_csv), text_columns=TEXT, id_column="留言编号", out=str(out)
    )
    with out.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["id"] for r in rows] == ["1", "2", "3"]
    assert [r["label"] for r in rows] == ["交通运输", "教育文体", "环境保护"]
    assert all(0.0 <= float(r["confidence"]) <= 1.0 for r in rows)


def test_training_with_unlabelled_texts(labelled_csv: Path, unlabelled_csv: Path, tmp_path: Path) -> None:
    model = tmp_path / "m"
    call_command(
        "train_classifier",
        csv=str(labelled_csv),
        text_columns=TEXT,
        label_column="一级标签",
        model=str(model),
        unlabelled=[str(unlabelled_csv)],
    )
    meta = json.loads((tmp_path / "m.json").read_text(encoding="utf-8"))
    assert meta["unlabelled_rows"] == 3


def test_evaluate_prints_the_macro_f1_and_each_label(labelled_csv: Path, capsys: pytest.CaptureFixture[str]) -> None:
    call_command("evaluate_classifier", csv=str(labelled_csv), text_columns=TEXT, label_column="一级标签", folds=2)
    out = capsys.readouterr().out
    assert "macro-F1 " in out
    for label in ("交通运输", "教育文体", "环境保护"):
        assert label in out


def test_a_missing_column_is_a_clear_error(labelled_csv: Path, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="no column '标签'"):
        call_command(
            "train_classifier", csv=str(labelled_csv), text_columns=TEXT, label_column="标签", model=str(tmp_path / "m")
        )
    with pytest.raises(CommandError, match="no column '编号'"):
        call_command(
            "hotspots",
            csv=str(labelled_csv),
            text_columns=TEXT,
            id_column="编号",
            time_column="留言时间",
            out=str(tmp_path / "h.json"),
        )


def test_an_empty_file_is_a_clear_error(tmp_path: Path) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"\xef\xbb\xbf")
    with pytest.raises(CommandError, match="the file is empty"):
        call_command("evaluate_classifier", csv=str(empty), text_columns=TEXT, label_column="一级标签")


def test_classify_with_a_missing_model_is_a_clear_error(unlabelled_csv: Path, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="no such model"):
        call_command(
            "classify",
            model=str(tmp_path / "none.joblib"),
            csv=str(unlabelled_csv),
            text_columns=TEXT,
            id_column="留言编号",
            out=str(tmp_path / "p.csv"),
        )


HEADER = ["留言编号", "留言用户", "留言主题", "留言时间", "留言详情", "点赞数"]
ROWS = [
    ["11", "a", "伊景园滨河苑捆绑销售车位", "2019/7/12 17:00:34", "伊景园滨河苑开发商强制捆绑销售车位", "3"],
    ["12", "b", "伊景园滨河苑车位捆绑销售", "2019-07-21 10:29:36", "伊景园滨河苑捆绑销售车位，侵害业主权益", "10"],
    ["13", "c", "投诉伊景园滨河苑捆绑车位", "2019-07-22", "伊景园滨河苑要求购房必须购买车位", ""],
    ["14", "d", "路灯不亮", "2019/7/13", "幸福路的路灯坏了一个月没人修", "0"],
    ["15", "e", "学校补课", "2019/7/14 8:00", "中学周末强制补课收费", "1"],
]


def test_hotspots_writes_the_hottest_groups_as_json(tmp_path: Path) -> None:
    source = write_csv(tmp_path / "m.csv", HEADER, ROWS, bom=True)
    out = tmp_path / "hot.json"
    call_command(
        "hotspots",
        csv=str(source),
        text_columns=TEXT,
        id_column="留言编号",
        time_column="留言时间",
        support_column="点赞数",
        reporter_column="留言用户",
        top=10,
        out=str(out),
    )
    found = json.loads(out.read_text(encoding="utf-8"))
    assert len(found) == 1
    assert found[0]["ids"] == ["11", "12", "13"]
    assert set(found[0]) == {"title", "ids", "score", "start", "end"}
    assert found[0]["start"] == "2019-07-12 17:00:34" and found[0]["end"] == "2019-07-22 00:00:00"
    assert found[0]["score"] > 0


def test_hotspots_with_a_bad_date_names_the_row(tmp_path: Path) -> None:
    source = write_csv(tmp_path / "m.csv", HEADER, [*ROWS, ["16", "f", "x", "2019/13/45", "y", "0"]])
    with pytest.raises(CommandError, match='row 7, column "留言时间": "2019/13/45" is not a date'):
        call_command(
            "hotspots",
            csv=str(source),
            text_columns=TEXT,
            id_column="留言编号",
            time_column="留言时间",
            out=str(tmp_path / "hot.json"),
        )


def test_hotspots_with_a_bad_support_count_names_the_row(tmp_path: Path) -> None:
    source = write_csv(tmp_path / "m.csv", HEADER, [*ROWS[:2], ["16", "f", "x", "2019/7/1", "y", "many"]])
    with pytest.raises(CommandError, match='row 4, column "点赞数": "many" is not a number'):
        call_command(
            "hotspots",
            csv=str(source),
            text_columns=TEXT,
            id_column="留言编号",
            time_column="留言时间",
            support_column="点赞数",
            out=str(tmp_path / "hot.json"),
        )
