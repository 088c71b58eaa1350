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

from collections.abc import Mapping, Sequence

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
