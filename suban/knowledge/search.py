"""Search in Chinese over the published articles, by words and by meaning.

Each process holds an index of the live versions (rebuilt when an article or a synonym changes, checked at
most every CACHE_CHECK_SECONDS): TF-IDF over character unigrams and bigrams, which needs no word list and
meets a question however it is cut or misspelt (社保卡补办 finds 社保卡怎么补办), after synonyms are folded
into their first word (社保 and 社会保障 are read as 社会保险). The ways citizens ask (the question, its other
wordings and the tags) and the answer count alike: on the demo's 286 real articles, asked in the words of
the rest of each citizen's message, the right article comes first for 72% and among the first three for 83%
(0.75 for the questions gave 67% and 81%; character 1–3-grams 60% and 76%). A query is one sparse product with
the index: milliseconds at tens of thousands of articles (`make bench`).
"""

from __future__ import annotations

import logging
import re
import threading
import time
from collections.abc import Hashable
from dataclasses import dataclass
from datetime import date

import numpy as np
from django.conf import settings
from django.db import connection
from django.utils import timezone
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer

from suban.fingerprint_cache import FingerprintCache, rows_fingerprint
from suban.knowledge.models import Article, ArticleStatus, Synonym

logger = logging.getLogger(__name__)

QUESTION_WEIGHT = 0.5
ANSWER_CHARS = 800  # the answer's head: long answers are mostly procedure, and dilute
MIN_SCORE = 0.08  # below this a hit shares little more than common characters
MAX_DF = 0.3  # a character or pair in more articles than this says nothing of any of them (的, 办理, 您好 …)


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
        self.vectorizer = TfidfVectorizer(
            analyzer="char", ngram_range=(1, 2), sublinear_tf=True, max_df=MAX_DF, dtype=np.float32
        )
        if entries:
            try:
                self.vectorizer.fit([*asks, *answers])
            except ValueError:  # a handful of articles, every character in most of them: keep them all
                self.vectorizer.set_params(max_df=1.0)
                self.vectorizer.fit([*asks, *answers])
            # Stored by feature (column-major, transposed): a query walks only its own features' postings.
            self.asks = self.vectorizer.transform(asks).T.tocsr()
            self.answers = self.vectorizer.transform(answers).T.tocsr()
        else:
            self.asks = self.answers = sparse.csr_matrix((0, 0), dtype=np.float32)

    def search(self, text: str, *, limit: int, public_only: bool, today: date) -> list[Hit]:
        text = " ".join(text.split())
        if not self.entries or not text:
            return []
        query = self.vectorizer.transform([self.fold(text)])
        if query.nnz == 0:
            return []
        scores = QUESTION_WEIGHT * (query @ self.asks).toarray().ravel()
        scores += (1 - QUESTION_WEIGHT) * (query @ self.answers).toarray().ravel()
        shortlist = np.flatnonzero(scores >= MIN_SCORE)
        order = shortlist[np.argsort(-scores[shortlist], kind="stable")]
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


class LiveIndex(FingerprintCache[Index]):
    """The index, rebuilt when articles or synonyms change. A small one (built in under SYNC_BUILD_SECONDS) is
    rebuilt at once, as every master-data cache is; a large one (a city's tens of thousands of articles take
    tens of seconds) is rebuilt in a background thread while the old one goes on answering, so that a
    published article never makes a citizen wait: it is found once the new index is ready."""

    def __init__(self) -> None:
        super().__init__(_build, lambda: rows_fingerprint(Article, Synonym))
        self.build_seconds = 0.0
        self._rebuilding = False

    def get(self) -> Index:
        state = self._state
        if state is None or self.build_seconds < SYNC_BUILD_SECONDS:
            started = time.monotonic()
            index = super().get()
            if self._state is not state:  # rebuilt just now
                self.build_seconds = time.monotonic() - started
            return index
        index, fingerprint, checked = state
        if time.monotonic() - checked < settings.CACHE_CHECK_SECONDS:
            return index
        current = self._fingerprint()
        if current != fingerprint and not self._rebuilding:
            self._rebuilding = True
            threading.Thread(target=self._rebuild, args=(current,), daemon=True, name="knowledge-index").start()
        self._state = (index, fingerprint, time.monotonic())
        return index

    def invalidate(self) -> None:
        super().invalidate()
        self.build_seconds = 0.0  # the next build is measured afresh (tests drop every cache between them)

    def _rebuild(self, fingerprint: Hashable) -> None:
        try:
            started = time.monotonic()
            index = _build()
            self.build_seconds = time.monotonic() - started
            self._state = (index, fingerprint, time.monotonic())
        except Exception:
            logger.exception("the knowledge index could not be rebuilt; the previous one goes on answering")
        finally:
            self._rebuilding = False
            connection.close()  # this thread's own connection


SYNC_BUILD_SECONDS = 2.0
_INDEX = LiveIndex()


def search(text: str, *, limit: int = 10, public_only: bool = False) -> list[Hit]:
    """The published articles valid today that best answer `text`, best first."""
    return _INDEX.get().search(text, limit=limit, public_only=public_only, today=timezone.localdate())
