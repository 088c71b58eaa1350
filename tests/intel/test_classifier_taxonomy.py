"""Label keywords from a taxonomy: read from a CSV, used as a prior by the classifier and its commands."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from suban.intel.classifier import Message, TextClassifier, read_keywords
from suban.intel.textio import CsvError
from tests.intel.conftest import LABELLED, write_csv

TEXT = "留言主题,留言详情"
TAXONOMY = [
    ["交通运输", "邮政管理", "快递市场管理"],
    ["交通运输", "出租车管理", "网约车问题"],
    ["交通运输", "其他", "其他"],
    ["教育文体", "教育收费", "乱收费"],
    ["环境保护", "环境污染", "噪音污染"],
    ["民政", "社会救助", "低保"],  # a label the training rows do not have
]


@pytest.fixture
def taxonomy_csv(tmp_path: Path) -> Path:
    return write_csv(tmp_path / "taxonomy.csv", ["一级分类", "二级分类", "三级分类"], TAXONOMY, bom=True)


def _messages() -> tuple[list[Message], list[str]]:
    return [Message.of(t, x) for t, x, _ in LABELLED], [label for _, _, label in LABELLED]


def test_keywords_are_the_names_under_each_label_without_other(taxonomy_csv: Path) -> None:
    keywords = read_keywords(taxonomy_csv)
    assert keywords["交通运输"] == "邮政管理 快递市场管理 出租车管理 网约车问题"
    assert keywords["民政"] == "社会救助 低保"
    assert set(keywords) == {"交通运输", "教育文体", "环境保护", "民政"}


def test_a_taxonomy_needs_names_beside_the_label(tmp_path: Path) -> None:
    with pytest.raises(CsvError, match="at least one column of names"):
        read_keywords(write_csv(tmp_path / "t.csv", ["一级分类"], [["交通运输"]]))
    with pytest.raises(CsvError, match="no such file"):
        read_keywords(tmp_path / "missing.csv")


def test_keywords_pull_a_message_that_only_the_taxonomy_knows_towards_its_label(taxonomy_csv: Path) -> None:
    messages, labels = _messages()
    keywords = read_keywords(taxonomy_csv)
    with_keywords = TextClassifier.train(messages, labels, keywords=keywords)
    without = TextClassifier.train(messages, labels)
    # Only the training rows' labels get a keyword column; 民政 has no row.
    assert with_keywords.meta["features"]["keyword_labels"] == ["交通运输", "教育文体", "环境保护"]
    assert without.meta["features"]["keyword_labels"] == []
    probes = [Message.of("邮政快递"), Message.of("快递市场")]  # no training row speaks of parcels or the post
    assert "交通运输" not in [p.label for p in without.predict(probes)]
    assert [p.label for p in with_keywords.predict(probes)] == ["交通运输", "交通运输"]


def test_a_model_with_keywords_saves_and_loads(taxonomy_csv: Path, tmp_path: Path) -> None:
    messages, labels = _messages()
    model = TextClassifier.train(messages, labels, keywords=read_keywords(taxonomy_csv))
    loaded = TextClassifier.load(model.save(tmp_path / "m"))
    probe = [Message.of("网约车拒载"), Message.of("学校乱收费"), Message.of("噪音污染")]
    assert [p.label for p in loaded.predict(probe)] == [p.label for p in model.predict(probe)]
    assert [p.label for p in loaded.predict(probe)] == ["交通运输", "教育文体", "环境保护"]


def test_the_commands_take_a_taxonomy(
    labelled_csv: Path, taxonomy_csv: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    model = tmp_path / "m"
    options = {"csv": str(labelled_csv), "text_columns": TEXT, "label_column": "一级标签"}
    call_command("train_classifier", model=str(model), taxonomy=str(taxonomy_csv), **options)
    meta = json.loads((tmp_path / "m.json").read_text(encoding="utf-8"))
    assert meta["taxonomy"] == str(taxonomy_csv)
    assert meta["features"]["keyword_labels"] == ["交通运输", "教育文体", "环境保护"]
    call_command("evaluate_classifier", folds=2, taxonomy=str(taxonomy_csv), **options)
    assert "macro-F1 " in capsys.readouterr().out


def test_a_taxonomy_of_other_labels_is_said_to_be_unused(
    labelled_csv: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    other = write_csv(tmp_path / "other.csv", ["一级分类", "二级分类"], [["民政", "社会救助"]])
    call_command(
        "train_classifier",
        csv=str(labelled_csv),
        text_columns=TEXT,
        label_column="一级标签",
        model=str(tmp_path / "m"),
        taxonomy=str(other),
    )
    assert "the taxonomy is not used" in capsys.readouterr().err
    meta = json.loads((tmp_path / "m.json").read_text(encoding="utf-8"))
    assert meta["features"]["keyword_labels"] == []


def test_an_unreadable_taxonomy_stops_the_command_with_one_line(labelled_csv: Path, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="no such file"):
        call_command(
            "train_classifier",
            csv=str(labelled_csv),
            text_columns=TEXT,
            label_column="一级标签",
            model=str(tmp_path / "m"),
            taxonomy=str(tmp_path / "missing.csv"),
        )
