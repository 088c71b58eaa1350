"""Search in Chinese over the published articles, by words and by meaning.

Each process holds an index of the live versions (rebuilt when an article or a synonym changes, checked at
most every CACHE_CHECK_SECONDS): TF-IDF over character unigrams and bigrams, which needs no word list and
meets a question however it is cut or misspelt (社保卡补办 finds 社保卡怎么补办), after synonyms are folded
into their first word (社保 and 社会保障 are read as 社会保险). The ways citizens ask (the question, its other
wordings and the tags) count three times as much as the answer. A query is one sparse product with the
index: milliseconds at tens of thousands of articles (`make bench`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

import numpy as np
from django.utils import timezone
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer

from suban.fingerprint_cache import FingerprintCache, rows_fingerprint
from suban.knowledge.models import Article, ArticleStatus, Synonym

QUESTION_WEIGHT = 0.75
ANSWER_CHARS = 2000  # the answer's head: long answers are mostly procedure, and dilute
MIN_SCORE = 0.08  # below this a hit shares little more than common characters


@dataclass(frozen=True)
class Entry:
    article_id: int
    public: bool
    valid_from: date | None
    valid_to: date | None

    def valid_on(self, day: date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (self.valid_to is None or day <= self.valid_to)


@dataclass(frozen=True)
class Hit:
    article_id: int
    score: float


class Folder:
    """Synonyms folded into the first word of their group."""

    def __init__(self, groups: list[list[str]]) -> None:
        self.canonical: dict[str, str] = {}
        for words in groups:
            for word in words[1:]:
                if word != words[0]:
                    self.canonical.setdefault(word, words[0])
        variants = sorted(self.canonical, key=len, reverse=True)
        self.pattern = re.compile("|".join(map(re.escape, variants))) if variants else None

    def __call__(self, text: str) -> str:
        text = text.lower()
        if self.pattern is None:
            return text
        return self.pattern.sub(lambda m: self.canonical[m.group(0)], text)


class Index:
    def __init__(self, entries: list[Entry], asks: list[str], answers: list[str], folder: Folder) -> None:
        self.entries = entries
        self.fold = folder
        self.vectorizer = TfidfVectorizer(analyzer="char", ngram_range=(1, 2), sublinear_tf=True, dtype=np.float32)
        if entries:
            self.vectorizer.fit([*asks, *answers])
            self.asks = self.vectorizer.transform(asks)
            self.answers = self.vectorizer.transform(answers)
        else:
            self.asks = self.answers = sparse.csr_matrix((0, 0), dtype=np.float32)

    def search(self, text: str, *, limit: int, public_only: bool, today: date) -> list[Hit]:
        text = " ".join(text.split())
        if not self.entries or not text:
            return []
        query = self.vectorizer.transform([self.fold(text)])
        if query.nnz == 0:
            return []
        scores = QUESTION_WEIGHT * (self.asks @ query.T).toarray().ravel()
        scores += (1 - QUESTION_WEIGHT) * (self.answers @ query.T).toarray().ravel()
        order = np.argsort(-scores, kind="stable")
        hits: list[Hit] = []
        for i in order:
            score = float(scores[i])
            if score < MIN_SCORE:
                break
            entry = self.entries[i]
            if (public_only and not entry.public) or not entry.valid_on(today):
                continue
            hits.append(Hit(entry.article_id, round(score, 4)))
            if len(hits) >= limit:
                break
        return hits


def _build() -> Index:
    folder = Folder([s.word_list() for s in Synonym.objects.all()])
    entries, asks, answers = [], [], []
    rows = (
        Article.objects.filter(status=ArticleStatus.PUBLISHED, live__isnull=False).select_related("live").order_by("pk")
    )
    for article in rows.iterator(chunk_size=2000):
        live = article.live
        assert live is not None
        entries.append(Entry(article.pk, live.public, live.valid_from, live.valid_to))
        asks.append(folder("\n".join([*live.question_list(), *live.tag_list()])))
        answers.append(folder(live.answer[:ANSWER_CHARS]))
    return Index(entries, asks, answers, folder)


_INDEX: FingerprintCache[Index] = FingerprintCache(_build, lambda: rows_fingerprint(Article, Synonym))


def search(text: str, *, limit: int = 10, public_only: bool = False) -> list[Hit]:
    """The published articles valid today that best answer `text`, best first."""
    return _INDEX.get().search(text, limit=limit, public_only=public_only, today=timezone.localdate())
