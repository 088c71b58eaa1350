from __future__ import annotations

from pathlib import Path

import pytest

from suban.intel.classifier import Message, TextClassifier, cross_validate, meta_path
from tests.intel.conftest import LABELLED


def _messages() -> tuple[list[Message], list[str]]:
    return [Message.of(t, x) for t, x, _ in LABELLED], [label for _, _, label in LABELLED]


@pytest.fixture(scope="module")
def model() -> TextClassifier:
    messages, labels = _messages()
    return TextClassifier.train(messages, labels)


def test_it_tells_the_labels_apart_on_new_messages(model: TextClassifier) -> None:
    assert model.predict_one("公交车站取消了", "我们这里的公交车站被取消，坐车不方便").label == "交通运输"
    assert model.predict_one("学校补课收费", "学校强制补课还收费，家长负担重").label == "教育文体"
    assert model.predict_one("工厂废水污染河道", "工厂排放废水，河水发臭").label == "环境保护"


def test_confidences_are_probabilities_and_the_top_is_ordered(model: TextClassifier) -> None:
    for prediction in model.predict([Message.of("路口堵车"), Message.of("孩子上学"), Message.of("")]):
        assert 0.0 <= prediction.confidence <= 1.0
        assert prediction.top[0] == (prediction.label, prediction.confidence)
        probabilities = [p for _, p in prediction.top]
        assert probabilities == sorted(probabilities, reverse=True)
        assert sum(probabilities) == pytest.approx(1.0)
        assert {label for label, _ in prediction.top} == {"交通运输", "教育文体", "环境保护"}


def test_a_saved_model_loads_and_predicts_the_same(model: TextClassifier, tmp_path: Path) -> None:
    path = model.save(tmp_path / "models" / "level1")
    assert path.name == "level1.joblib" and path.exists()
    meta = meta_path(path)
    assert meta.exists()
    loaded = TextClassifier.load(path)
    assert loaded.meta["labels"] == ["交通运输", "教育文体", "环境保护"]
    assert loaded.meta["training_rows"] == len(LABELLED)
    assert loaded.meta["version"] and loaded.meta["sha256"]
    assert "out_of_fold_3_macro_f1" in loaded.meta["metrics"]
    pairs = [("高速公路收费", "收费站排队"), ("幼儿园收费", "幼儿园学位"), ("排污", "污水")]
    probe = [Message.of(t, x) for t, x in pairs]
    assert [(p.label, p.confidence) for p in loaded.predict(probe)] == [
        (p.label, p.confidence) for p in model.predict(probe)
    ]


def test_loading_a_missing_model_says_so(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="no such model"):
        TextClassifier.load(tmp_path / "nothing.joblib")


def test_unlabelled_texts_shape_the_text_space_but_repeats_of_labelled_ones_are_dropped() -> None:
    messages, labels = _messages()
    unlabelled = [Message.of("公交车太挤", "早高峰公交车太挤"), messages[0]]
    model = TextClassifier.train(messages, labels, unlabelled=unlabelled)
    assert model.meta["unlabelled_rows"] == 1


def test_a_single_label_still_gives_a_model() -> None:
    model = TextClassifier.train([Message.of("公交车"), Message.of("出租车")], ["交通运输", "交通运输"])
    prediction = model.predict_one("地铁")
    assert prediction.label == "交通运输" and prediction.confidence == 1.0


def test_cross_validation_scores_every_row_on_a_model_that_never_saw_it() -> None:
    messages, labels = _messages()
    result = cross_validate(messages, labels, folds=2)
    assert result.rows == len(LABELLED)
    assert len(result.fold_macro_f1) == 2
    assert 0.0 <= result.macro_f1 <= 1.0
    assert sum(s.support for s in result.per_label) == len(LABELLED)
