"""From a message (title + full text) to one feature vector.

Four sparse views learned from the labelled texts: character 1–3-grams and jieba words, each of the whole
text and of the title alone (a title says in ten characters what the text says in three hundred), and one
dense view learned without labels: a latent semantic space (LSA, truncated SVD of character n-gram TF-IDF)
fitted on the labelled *and* unlabelled texts, so that words seen only in unlabelled messages still land
near the words they co-occur with.

Optionally, label keywords (a taxonomy's second- and third-level names under each first-level label, as in
teddy2020c's taxonomy.csv) give a few dense features more: the cosine of the text and of the title with each
label's names in character 2–3-gram TF-IDF space, a prior that needs no labelled row.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from itertools import repeat

import numpy as np
import rjieba
import scipy.sparse as sp
from sklearn.decomposition import TruncatedSVD
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize

LSA_DIMS = 300
LSA_VOCABULARY = 50_000
# What a message says, it says in its first page; a 10,000-character petition costs ten times the time for
# no better answer.
MAX_CHARS = 1_500
# The title views count for a little less than the text views; and the keyword cosines, being only a few
# columns among a hundred thousand, need a weight to be heard. Chosen on the 5 folds of evaluate_classifier
# (seed 0) and checked on other folds (seeds 1, 2): see the README.
TITLE_WEIGHT = 0.7
KEYWORD_TEXT_WEIGHT = 3.0
KEYWORD_TITLE_WEIGHT = 2.0


def words(text: str) -> list[str]:
    """jieba (rjieba, its Rust port) words, without the spaces between them."""
    return [w for w in rjieba.cut(text) if not w.isspace()]


def _char_vectorizer(min_df: int, max_features: int | None = None) -> TfidfVectorizer:
    return TfidfVectorizer(
        analyzer="char",
        ngram_range=(1, 3),
        sublinear_tf=True,
        min_df=min_df,
        max_features=max_features,
        dtype=np.float32,
    )


def _word_vectorizer(min_df: int) -> TfidfVectorizer:
    return TfidfVectorizer(analyzer=words, sublinear_tf=True, min_df=min_df, dtype=np.float32)


def _cut(texts: Sequence[str]) -> list[str]:
    return [t[:MAX_CHARS] for t in texts]


class Featurizer:
    def __init__(
        self,
        *,
        lsa_dims: int = LSA_DIMS,
        lsa_vocabulary: int = LSA_VOCABULARY,
        keywords: Mapping[str, str] | None = None,
    ) -> None:
        self.lsa_dims = lsa_dims
        self.lsa_vocabulary = lsa_vocabulary
        # label -> its keywords as one text; labels in sorted order, one feature column each
        self.keywords = {label: text for label, text in sorted((keywords or {}).items()) if text.strip()}
        self.keyword_vectorizer: TfidfVectorizer | None = None
        self.title_weight = TITLE_WEIGHT

    def fit(self, titles: Sequence[str], texts: Sequence[str], unlabelled_texts: Sequence[str] = ()) -> Featurizer:
        # A term seen once in a few hundred messages is noise; with a handful (tests, a new district) keep all.
        min_df = 2 if len(texts) >= 50 else 1
        texts = _cut(texts)
        self.char_text = _char_vectorizer(min_df).fit(texts)
        self.char_title = _char_vectorizer(min_df).fit(titles)
        self.word_text = _word_vectorizer(min_df).fit(texts)
        self.word_title = _word_vectorizer(min_df).fit(titles)
        corpus = [*texts, *_cut(unlabelled_texts)]
        self.lsa_vectorizer = _char_vectorizer(min_df, self.lsa_vocabulary).fit(corpus)
        counts = self.lsa_vectorizer.transform(corpus)
        dims = max(1, min(self.lsa_dims, counts.shape[0] - 1, counts.shape[1] - 1))
        svd = TruncatedSVD(dims, random_state=0).fit(counts)
        self.lsa_components = svd.components_.astype(np.float32)
        if self.keywords:
            docs = list(self.keywords.values())
            self.keyword_vectorizer = TfidfVectorizer(
                analyzer="char", ngram_range=(2, 3), sublinear_tf=True, dtype=np.float32
            ).fit(docs)
            self.keyword_matrix = normalize(self.keyword_vectorizer.transform(docs)).T.tocsr()
        return self

    def keyword_similarity(self, texts: Sequence[str]) -> sp.csr_matrix:
        """The cosine of each text with each label's keywords (one column per label of `self.keywords`)."""
        assert self.keyword_vectorizer is not None
        return sp.csr_matrix(normalize(self.keyword_vectorizer.transform(texts)) @ self.keyword_matrix)

    def lsa(self, texts: Sequence[str]) -> np.ndarray:
        dense = self.lsa_vectorizer.transform(texts) @ self.lsa_components.T
        return normalize(np.asarray(dense))

    @property
    def sparse_columns(self) -> int:
        """How many columns the n-gram views take at the start of `transform`'s rows (the dense ones follow)."""
        return sum(len(v.vocabulary_) for v in (self.char_text, self.char_title, self.word_text, self.word_title))

    def transform(self, titles: Sequence[str], texts: Sequence[str]) -> sp.csr_matrix:
        texts = _cut(texts)
        title_weight = getattr(self, "title_weight", 1.0)  # models saved before the weight had none
        blocks = [
            self.char_text.transform(texts),
            self.char_title.transform(titles) * title_weight,
            self.word_text.transform(texts),
            self.word_title.transform(titles) * title_weight,
            sp.csr_matrix(self.lsa(texts)),
        ]
        if getattr(self, "keyword_vectorizer", None) is not None:  # models saved before keywords have none
            blocks += [
                self.keyword_similarity(texts) * KEYWORD_TEXT_WEIGHT,
                self.keyword_similarity(titles) * KEYWORD_TITLE_WEIGHT,
            ]
        return sp.hstack(blocks, format="csr")


class _Terms:
    """The vocabularies and IDFs of a few TF-IDF vectorizers that read the same tokens, merged so that a
    message's terms are looked up once for all of them."""

    def __init__(self, *vectorizers: TfidfVectorizer) -> None:
        self.index: dict[str, int] = {}
        for vectorizer in vectorizers:
            for term in vectorizer.vocabulary_:
                self.index.setdefault(term, len(self.index))
        self.columns: list[np.ndarray] = []  # per vectorizer: merged id -> its column, -1 if not in it
        self.idf: list[np.ndarray] = []
        for vectorizer in vectorizers:
            columns = np.full(len(self.index) + 1, -1, dtype=np.intp)  # the last entry: unknown terms
            for term, column in vectorizer.vocabulary_.items():
                columns[self.index[term]] = column
            self.columns.append(columns)
            self.idf.append(np.asarray(vectorizer.idf_, dtype=np.float64))

    def weigh(self, tokens: Sequence[str]) -> list[tuple[np.ndarray, np.ndarray]]:
        """Per vectorizer: the columns of the message's known terms and their L2-normalised sublinear TF-IDF
        weights, as its `transform` gives them."""
        unknown = len(self.index)
        ids = np.fromiter(map(self.index.get, tokens, repeat(unknown)), dtype=np.intp, count=len(tokens))
        ids, counts = np.unique(ids, return_counts=True)
        if len(ids) and ids[-1] == unknown:
            ids, counts = ids[:-1], counts[:-1]
        tf = 1.0 + np.log(counts.astype(np.float64))
        found = []
        for columns, idf in zip(self.columns, self.idf, strict=True):
            mine = columns[ids]
            known = mine >= 0
            mine = mine[known]
            values = tf[known] * idf[mine]
            norm = np.sqrt(values @ values)
            found.append((mine, values / norm if norm > 0 else values))
        return found


class LinearScorer:
    """`featurizer.transform([title], [text]) @ coef.T` for one message, without building its feature row.

    The same numbers as the matrix product (up to float rounding, see the tests), in a fraction of the time:
    the text's character n-grams are cut, counted and looked up once for the three vectorizers that read them
    (the character view, the LSA space, the keywords), and every block of `coef` is kept as rows per term,
    so a message costs a lookup of its terms and a product with the rows of those terms only. Built once per
    model (on its first prediction: a fraction of a second), never saved.
    """

    def __init__(self, featurizer: Featurizer, coef: np.ndarray) -> None:
        f = featurizer
        coef = np.asarray(coef, dtype=np.float64)
        title_weight = getattr(f, "title_weight", 1.0)
        self._chars: Callable[[str], list[str]] = f.char_text.build_analyzer()
        self._title_chars: Callable[[str], list[str]] = f.char_title.build_analyzer()
        self._words: Callable[[str], list[str]] = f.word_text.build_analyzer()
        sizes = [len(v.vocabulary_) for v in (f.char_text, f.char_title, f.word_text, f.word_title)]
        dims = f.lsa_components.shape[0]
        keywords = getattr(f, "keyword_vectorizer", None)  # models saved before keywords have none
        labels = len(f.keywords) if keywords is not None else 0
        edges = np.cumsum([0, *sizes, dims, labels, labels])
        if edges[-1] != coef.shape[1]:
            raise ValueError(f"coef has {coef.shape[1]} columns, the featurizer makes {edges[-1]}")

        def block(k: int, weight: float = 1.0) -> np.ndarray:  # (columns of block k, rows of coef), C order
            return np.ascontiguousarray(coef[:, edges[k] : edges[k + 1]].T * weight)

        extra = (keywords,) if keywords is not None else ()
        self._text_terms = _Terms(f.char_text, f.lsa_vectorizer, *extra)
        self._title_terms = _Terms(f.char_title, *extra)
        self._word_terms = _Terms(f.word_text)
        self._title_word_terms = _Terms(f.word_title)
        self._weights = [block(k) for k in range(4)]
        self._weights[1] *= title_weight
        self._weights[3] *= title_weight
        # (terms, dims), float32 as fitted: a long text reads a few thousand of its rows, half the bytes in float32
        self._lsa_axes = np.ascontiguousarray(f.lsa_components.T, dtype=np.float32)
        self._lsa_weights = block(4)
        self._keywords: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None
        if keywords is not None:
            self._keywords = (
                np.asarray(f.keyword_matrix.toarray(), dtype=np.float64),  # (terms, labels)
                block(5, KEYWORD_TEXT_WEIGHT),
                block(6, KEYWORD_TITLE_WEIGHT),
            )
        self.rows = coef.shape[0]

    def scores(self, title: str, text: str) -> np.ndarray:
        """One message's `x @ coef.T` (without an intercept): a vector with one value per row of coef."""
        text = text[:MAX_CHARS]
        text_views = self._text_terms.weigh(self._chars(text))
        title_views = self._title_terms.weigh(self._title_chars(title))
        views = [
            text_views[0],
            title_views[0],
            self._word_terms.weigh(self._words(text))[0],
            self._title_word_terms.weigh(self._words(title))[0],
        ]
        total = np.zeros(self.rows)
        for (columns, values), weights in zip(views, self._weights, strict=True):
            total += values @ weights[columns]
        columns, values = text_views[1]
        point = (values.astype(np.float32) @ self._lsa_axes[columns]).astype(np.float64)
        norm = np.sqrt(point @ point)
        if norm > 0:
            total += (point / norm) @ self._lsa_weights
        if self._keywords is not None:
            names, text_weights, title_weights = self._keywords
            for (columns, values), weights in ((text_views[2], text_weights), (title_views[1], title_weights)):
                total += (values @ names[columns]) @ weights
        return total
