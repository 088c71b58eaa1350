"""The NB-SVM that decides, and the per-message scorer that gives its margins without building feature rows."""

from __future__ import annotations

from pathlib import Path

import joblib
import numpy as np
import pytest
import scipy.sparse as sp

from suban.intel.classifier import FORMAT, Message, NbSvm, TextClassifier
from suban.intel.features import MAX_CHARS, LinearScorer
from tests.intel.conftest import LABELLED

KEYWORDS = {"交通运输": "出租车管理 网约车问题 快递", "教育文体": "教育收费 乱收费", "环境保护": "噪音污染 水污染"}


@pytest.fixture(scope="module")
def model() -> TextClassifier:
    messages = [Message.of(t, x) for t, x, _ in LABELLED]
    unlabelled = [Message.of("公交车太挤", "早高峰公交车太挤"), Message.of("化工厂污水", "污水排进河里")]
    return TextClassifier.train(messages, [label for _, _, label in LABELLED], unlabelled=unlabelled, keywords=KEYWORDS)


def test_a_term_only_one_label_uses_weighs_for_that_label_alone() -> None:
    # Column 0 is in every row of label a, column 1 in rows of both labels; column 2 is dense (not scaled).
    x = sp.csr_matrix(np.array([[1, 1, 0.2], [1, 1, 0.1], [1, 0, 0.3], [0, 1, 0.2], [0, 1, 0.1], [0, 1, 0.3]]))
    y = np.array(["a", "a", "a", "b", "b", "b"])
    svm = NbSvm(sparse_columns=2).fit(x, y)
    assert svm.classes_.tolist() == ["a", "b"]
    assert svm.coef_.shape == (2, 3)
    assert svm.coef_[0, 0] > 0 and svm.coef_[1, 0] < 0
    # The ratio makes column 0 louder than the shared column 1 for label a.
    assert svm.coef_[0, 0] > abs(svm.coef_[0, 1])
    margins = svm.decision_function(sp.csr_matrix(np.array([[1.0, 0, 0], [0, 1.0, 0]])))
    assert margins.shape == (2, 2)
    assert margins[0].argmax() == 0 and margins[1].argmax() == 1


def test_an_nb_svm_needs_two_labels() -> None:
    with pytest.raises(ValueError, match="two labels"):
        NbSvm(sparse_columns=1).fit(sp.csr_matrix(np.ones((2, 1))), np.array(["a", "a"]))


PROBES = [
    Message.of("公交车站取消了", "我们这里的公交车站被取消，坐车不方便"),
    Message.of("ＡＢＣ学校  收费", "Teacher 收费\t\n很多  钱 WiFi"),  # case, full-width letters, runs of spaces
    Message.of("噪音", "工厂噪音污染" * 400),  # longer than MAX_CHARS
    Message.of("出租车拒载"),
    Message.of(""),
    Message.of("完全没见过的字", "龘靐齉"),
]


def test_the_scorer_gives_the_margins_of_the_feature_rows(model: TextClassifier) -> None:
    assert len(PROBES[2].text) > MAX_CHARS
    assert model.svm is not None
    rows = model.featurizer.transform([m.title for m in PROBES], [m.text for m in PROBES])
    expected = model.svm.decision_function(rows)
    found = model.decision_function(PROBES)
    assert found.shape == expected.shape == (len(PROBES), 3)
    np.testing.assert_allclose(found, expected, rtol=1e-4, atol=1e-5)
    assert not np.allclose(found[0], found[1])


def test_the_scorer_checks_the_weights_fit_the_featurizer(model: TextClassifier) -> None:
    assert model.svm is not None
    with pytest.raises(ValueError, match="columns"):
        LinearScorer(model.featurizer, model.svm.coef_[:, :-1])


def test_a_model_file_of_another_format_says_which(tmp_path: Path) -> None:
    path = tmp_path / "old.joblib"
    joblib.dump({"format": FORMAT - 1, "svm": None}, path)
    with pytest.raises(ValueError, match=f"format {FORMAT - 1}.*reads format {FORMAT}; train it again"):
        TextClassifier.load(path)


def test_the_confidences_are_the_calibrators_probabilities(model: TextClassifier) -> None:
    assert model.calibrator is not None
    expected = model.calibrator.predict_proba(model.decision_function(PROBES))
    order = [list(model.calibrator.classes_).index(label) for label in model.labels]
    np.testing.assert_allclose(model.probabilities(PROBES), expected[:, order], rtol=1e-9, atol=1e-12)


def test_two_labels_get_two_probabilities() -> None:
    rows = [(t, x, label) for t, x, label in LABELLED if label != "环境保护"]
    model = TextClassifier.train([Message.of(t, x) for t, x, _ in rows], [label for *_, label in rows])
    assert model.calibrator is not None and model.calibrator.coef_.shape[0] == 1
    expected = model.calibrator.predict_proba(model.decision_function(PROBES))
    np.testing.assert_allclose(model.probabilities(PROBES), expected, rtol=1e-9, atol=1e-12)
    assert model.predict_one("出租车拒载").label == "交通运输"
