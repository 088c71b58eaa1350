"""A text classifier for Chinese messages: title + text → label with a confidence.

Linear SVMs on the features of suban.intel.features, one per label against the others, each reading the
n-gram columns scaled by how much more often its label's messages contain them (NB-SVM, `NbSvm`); the
confidence comes from a multinomial logistic regression fitted on the SVMs' out-of-fold decision values (so
it is calibrated on messages the SVMs had not seen), which also gives a free, nearly honest estimate of the
model's quality stored with it. Optional label
keywords (a taxonomy's lower-level names, `read_keywords`) add a prior the labelled rows need not teach.

A model is two files: NAME.joblib (the fitted objects) and NAME.json (what it is: version, labels, training
rows, date, metrics), written side by side. Evaluation by cross-validation trains the whole pipeline, the
unsupervised parts included, on the training folds only: see `cross_validate`.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import joblib
import numpy as np
import scipy.sparse as sp
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, f1_score, precision_recall_fscore_support
from sklearn.model_selection import StratifiedKFold
from sklearn.svm import LinearSVC

from suban.intel.features import Featurizer, LinearScorer
from suban.intel.textio import CsvError, clean_text, read_table

FORMAT = 2  # 2: NbSvm instead of sklearn's LinearSVC (issue 5)
DEFAULT_FOLDER = Path("var/models")
SVM_C = 0.5
NB_ALPHA = 1.0
CALIBRATION_FOLDS = 3


@dataclass(frozen=True)
class Prediction:
    label: str
    confidence: float
    top: list[tuple[str, float]]  # every label with its probability, most likely first


@dataclass
class Message:
    """What the classifier reads: the title on its own (it weighs more) and the whole text (title included)."""

    title: str
    text: str

    @classmethod
    def of(cls, title: str, text: str = "") -> Message:
        title, text = clean_text(title), clean_text(text)
        return cls(title=title, text=f"{title} {text}".strip() if text and not text.startswith(title) else title)


def _split(messages: Sequence[Message]) -> tuple[list[str], list[str]]:
    return [m.title for m in messages], [m.text for m in messages]


class NbSvm:
    """NB-SVM (Wang & Manning, 2012): one linear SVM per label against all the others, each on the n-gram
    columns multiplied by that label's log-count ratio log((p + a) / |p + a| / ((q + a) / |q + a|)), where p
    and q count the label's messages and the other messages that contain the n-gram. A term that only one
    label's messages use is so made louder for that label's SVM alone. The dense columns that follow the
    first `sparse_columns` (LSA, keywords) are left as they are.

    Each label's scaling is folded into its weights, so deciding is one product: x @ coef_.T + intercept_.
    """

    def __init__(self, sparse_columns: int, *, C: float = SVM_C, alpha: float = NB_ALPHA) -> None:
        self.sparse_columns = sparse_columns
        self.C = C
        self.alpha = alpha

    def fit(self, x: sp.csr_matrix, y: np.ndarray) -> NbSvm:
        self.classes_ = np.asarray(sorted(set(y.tolist())))
        if len(self.classes_) < 2:
            raise ValueError("NbSvm needs at least two labels")
        x = sp.csr_matrix(x)
        contains = (x[:, : self.sparse_columns] > 0).astype(np.float64).tocsc()
        dense_columns = x.shape[1] - self.sparse_columns
        coef, intercept = [], []
        for label in self.classes_:
            mine = y == label
            p = self.alpha + np.asarray(contains[mine].sum(axis=0)).ravel()
            q = self.alpha + np.asarray(contains[~mine].sum(axis=0)).ravel()
            ratio = np.log((p / p.sum()) / (q / q.sum()))
            scale = np.concatenate([ratio, np.ones(dense_columns)])
            # Balanced class weights: the small labels count as much as the big ones in a macro-F1.
            svm = LinearSVC(C=self.C, class_weight="balanced", random_state=0)
            svm.fit(x @ sp.diags(scale), mine.astype(int))
            coef.append(svm.coef_[0] * scale)
            intercept.append(svm.intercept_[0])
        self.coef_ = np.asarray(coef)
        self.intercept_ = np.asarray(intercept)
        return self

    def decision_function(self, x: sp.csr_matrix) -> np.ndarray:
        return np.asarray(x @ self.coef_.T) + self.intercept_


def _out_of_fold_scores(x: sp.csr_matrix, y: np.ndarray, folds: int, sparse_columns: int) -> np.ndarray:
    scores = np.zeros((len(y), len(set(y.tolist()))))
    for train, test in StratifiedKFold(folds, shuffle=True, random_state=0).split(np.zeros(len(y)), y):
        scores[test] = NbSvm(sparse_columns).fit(x[train], y[train]).decision_function(x[test])
    return scores


def _logistic(model: LogisticRegression, x: np.ndarray) -> np.ndarray:
    """`model.predict_proba(x)` without its input checks, which cost more than the product for one row."""
    z = x @ model.coef_.T + model.intercept_
    if z.shape[1] == 1:  # two labels: the probability of the second
        p = 1.0 / (1.0 + np.exp(-z[:, 0]))
        return np.column_stack([1.0 - p, p])
    z = np.exp(z - z.max(axis=1, keepdims=True))
    return z / z.sum(axis=1, keepdims=True)


@dataclass
class TextClassifier:
    featurizer: Featurizer
    svm: NbSvm | None  # None when all training rows had one label
    calibrator: LogisticRegression | None
    labels: list[str]
    meta: dict[str, Any] = field(default_factory=dict)
    _scorer: LinearScorer | None = field(default=None, init=False, repr=False)  # built on first use

    # -- training -------------------------------------------------------------------------------------------
    @classmethod
    def train(
        cls,
        messages: Sequence[Message],
        labels: Sequence[str],
        *,
        unlabelled: Sequence[Message] = (),
        keywords: Mapping[str, str] | None = None,
        meta: dict[str, Any] | None = None,
    ) -> TextClassifier:
        """`keywords`: label -> words that name it (e.g. a taxonomy's lower-level names, see `read_keywords`);
        only the labels that occur in `labels` are used."""
        if len(messages) != len(labels):
            raise ValueError("messages and labels differ in length")
        if not messages:
            raise ValueError("no training rows")
        started = time.perf_counter()
        y = np.asarray([str(label) for label in labels])
        seen = {m.text for m in messages}
        extra = [m.text for m in unlabelled if m.text not in seen]
        titles, texts = _split(messages)
        known = set(y.tolist())
        label_keywords = {label: text for label, text in (keywords or {}).items() if label in known}
        featurizer = Featurizer(keywords=label_keywords).fit(titles, texts, extra)
        x = featurizer.transform(titles, texts)
        classes = sorted(set(y.tolist()))
        counts = Counter(y.tolist())
        metrics: dict[str, Any] = {}
        svm: NbSvm | None = None
        calibrator: LogisticRegression | None = None
        if len(classes) > 1:
            svm = NbSvm(featurizer.sparse_columns).fit(x, y)
            folds = min(CALIBRATION_FOLDS, min(counts.values()))
            if folds >= 2:
                scores = _out_of_fold_scores(x, y, folds, featurizer.sparse_columns)
                calibrator = LogisticRegression(C=10.0, max_iter=2000).fit(scores, y)
                oof = calibrator.classes_[calibrator.predict_proba(scores).argmax(1)]
                metrics = {
                    f"out_of_fold_{folds}_macro_f1": round(float(f1_score(y, oof, average="macro")), 4),
                    f"out_of_fold_{folds}_accuracy": round(float(accuracy_score(y, oof)), 4),
                    "note": "SVM decisions out of fold; vocabulary and LSA fitted on all training texts",
                }
        info = {
            "format": FORMAT,
            "version": datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ"),
            "created": datetime.now(UTC).isoformat(timespec="seconds"),
            "labels": classes,
            "label_counts": dict(sorted(counts.items())),
            "training_rows": len(messages),
            "unlabelled_rows": len(extra),
            "features": {
                "char_ngrams": [1, 3],
                "words": "rjieba",
                "title_views": True,
                "title_weight": featurizer.title_weight,
                "keyword_labels": sorted(featurizer.keywords),
                "lsa_dims": int(featurizer.lsa_components.shape[0]),
            },
            "model": {
                "svm": "NB-SVM (one-vs-rest LinearSVC on log-count-ratio scaled n-grams)",
                "C": SVM_C,
                "nb_alpha": NB_ALPHA,
                "class_weight": "balanced",
                "calibration": "multinomial LR",
            },
            "metrics": metrics,
            "training_seconds": round(time.perf_counter() - started, 1),
            **(meta or {}),
        }
        return cls(featurizer=featurizer, svm=svm, calibrator=calibrator, labels=classes, meta=info)

    # -- prediction -----------------------------------------------------------------------------------------
    def probabilities(self, messages: Sequence[Message]) -> np.ndarray:
        """One row per message, one column per label of `self.labels`, each row summing to 1."""
        if self.svm is None:
            return np.ones((len(messages), 1))
        scores = self.decision_function(messages)
        if self.calibrator is not None:
            probs = _logistic(self.calibrator, scores)
            order = [list(self.calibrator.classes_).index(label) for label in self.labels]
            return probs[:, order]
        # too few rows to calibrate: a softmax of the margins
        z = np.exp(scores - scores.max(axis=1, keepdims=True))
        return z / z.sum(axis=1, keepdims=True)

    def decision_function(self, messages: Sequence[Message]) -> np.ndarray:
        """The SVMs' margins, one row per message and one column per label (`self.svm.classes_`).

        Message by message through a `LinearScorer` (what a new case costs: a few milliseconds), which gives
        the numbers of `self.svm.decision_function(self.featurizer.transform(...))` without the feature rows.
        """
        assert self.svm is not None
        if self._scorer is None:
            self._scorer = LinearScorer(self.featurizer, self.svm.coef_)
        scorer = self._scorer
        scores = np.array([scorer.scores(m.title, m.text) for m in messages]).reshape(len(messages), -1)
        return scores + self.svm.intercept_

    def predict(self, messages: Sequence[Message]) -> list[Prediction]:
        if not messages:
            return []
        probs = self.probabilities(messages)
        found = []
        for row in probs:
            order = np.argsort(-row, kind="stable")
            top = [(self.labels[i], float(row[i])) for i in order]
            found.append(Prediction(label=top[0][0], confidence=top[0][1], top=top))
        return found

    def predict_one(self, title: str, text: str = "") -> Prediction:
        return self.predict([Message.of(title, text)])[0]

    # -- files ----------------------------------------------------------------------------------------------
    def save(self, path: str | Path) -> Path:
        path = model_path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        bundle = {
            "format": FORMAT,
            "featurizer": self.featurizer,
            "svm": self.svm,
            "calibrator": self.calibrator,
            "labels": self.labels,
        }
        joblib.dump(bundle, path)
        meta = {**self.meta, "file": path.name, "sha256": _sha256(path)}
        meta_path(path).write_text(json.dumps(meta, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        self.meta = meta
        return path

    @classmethod
    def load(cls, path: str | Path) -> TextClassifier:
        path = model_path(path)
        if not path.exists():
            raise FileNotFoundError(f"{path}: no such model file.")
        bundle = joblib.load(path)
        if not isinstance(bundle, dict) or bundle.get("format") != FORMAT:
            found = bundle.get("format") if isinstance(bundle, dict) else None
            raise ValueError(
                f"{path}: a model of format {found}, this version of Suban reads format {FORMAT}; train it again."
            )
        info_path = meta_path(path)
        meta = json.loads(info_path.read_text(encoding="utf-8")) if info_path.exists() else {}
        return cls(
            featurizer=bundle["featurizer"],
            svm=bundle["svm"],
            calibrator=bundle["calibrator"],
            labels=list(bundle["labels"]),
            meta=meta,
        )


def read_keywords(path: str | Path) -> dict[str, str]:
    """Label keywords from a taxonomy CSV: the first column is the label, the other columns name its
    sub-categories (teddy2020c's taxonomy.csv: 一级分类,二级分类,三级分类). "其他" (other) says nothing and is
    left out. CsvError if the file cannot be read or has fewer than two columns."""
    table = read_table(path)
    if len(table.header) < 2:
        raise CsvError(f"{path}: a taxonomy needs a label column and at least one column of names.")
    return keywords_of([row[c] for c in table.header] for row in table.rows)


def keywords_of(paths: Iterable[Sequence[str]]) -> dict[str, str]:
    """Label keywords from a taxonomy's paths (label, then the names below it): label -> the names, "其他"
    (other) left out."""
    found: dict[str, list[str]] = {}
    for label, *below in paths:
        label = clean_text(label)
        if not label:
            continue
        names = found.setdefault(label, [])
        names.extend(n for n in (clean_text(name) for name in below) if n and n != "其他")
    return {label: " ".join(names) for label, names in found.items()}


def model_path(path: str | Path) -> Path:
    """`OUT` as given, or `OUT.joblib` when it has no suffix."""
    path = Path(path)
    return path if path.suffix else path.with_suffix(".joblib")


def meta_path(path: str | Path) -> Path:
    return model_path(path).with_suffix(".json")


def default_model_path(name: str) -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    return DEFAULT_FOLDER / f"{name}-{stamp}.joblib"


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


# -- evaluation -------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class LabelScore:
    label: str
    precision: float
    recall: float
    f1: float
    support: int


@dataclass(frozen=True)
class Evaluation:
    folds: int
    rows: int
    macro_f1: float
    accuracy: float
    per_label: list[LabelScore]
    fold_macro_f1: list[float]
    seconds: float


def cross_validate(
    messages: Sequence[Message],
    labels: Sequence[str],
    *,
    folds: int = 5,
    unlabelled: Sequence[Message] = (),
    keywords: Mapping[str, str] | None = None,
    seed: int = 0,
) -> Evaluation:
    """Stratified k-fold: every fold's model, vocabulary and LSA included, is trained without the fold.

    Unlabelled texts that repeat a labelled one are dropped before anything, so no test text comes in
    through the back door.
    """
    started = time.perf_counter()
    y = np.asarray([str(label) for label in labels])
    labelled_texts = {m.text for m in messages}
    extra = [m for m in unlabelled if m.text not in labelled_texts]
    predicted = np.empty(len(y), dtype=object)
    fold_scores: list[float] = []
    splitter = StratifiedKFold(folds, shuffle=True, random_state=seed)
    for train, test in splitter.split(np.zeros(len(y)), y):
        model = TextClassifier.train(
            [messages[i] for i in train], y[train].tolist(), unlabelled=extra, keywords=keywords
        )
        fold_predictions = [p.label for p in model.predict([messages[i] for i in test])]
        predicted[test] = fold_predictions
        fold_scores.append(float(f1_score(y[test], fold_predictions, average="macro")))
    predicted_labels = predicted.astype(str)
    classes = sorted(set(y.tolist()))
    precision, recall, f1, support = precision_recall_fscore_support(
        y, predicted_labels, labels=classes, zero_division=0
    )
    return Evaluation(
        folds=folds,
        rows=len(y),
        macro_f1=float(f1_score(y, predicted_labels, labels=classes, average="macro", zero_division=0)),
        accuracy=float(accuracy_score(y, predicted_labels)),
        per_label=[
            LabelScore(c, float(p), float(r), float(f), int(s))
            for c, p, r, f, s in zip(classes, precision, recall, f1, support, strict=True)
        ],
        fold_macro_f1=fold_scores,
        seconds=time.perf_counter() - started,
    )
