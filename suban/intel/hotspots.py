"""Hotspots: groups of requests about the same thing, hottest first.

1. Each request becomes a short keyword vector: jieba words weighted by TF-IDF (the title counts twice),
   only its KEYWORDS strongest words kept. Words that most requests use ("问题", "小区") weigh little and
   fall out; what is left is the place and the thing ("伊景园", "车位", "捆绑").
2. Two requests are linked when their keyword vectors' cosine is at least `threshold` and, with a window,
   they came within `window_days` of each other. The similarities come from a sparse product computed in
   chunks, so 100,000 requests take seconds, not the hours of a dense matrix.
3. A group is a connected component of the links. A component that grew too big by chaining (a↔b↔c where
   a and c have nothing in common) is split again at a stricter threshold, step by step.
4. Heat = ln(1 + reporters) + 0.5·ln(1 + support) + 0.3·ln(1 + spread), times (0.5 + 0.5·recency), where
   reporters are distinct people (or requests when no one is named), support the likes/me-too, spread the
   number of distinct areas (or days, without an area), and recency halves every `half_life_days` since
   the group's last request, counted back from the newest request of all.
5. The title is the title of the request nearest the group's centre: a real sentence, not a bag of words.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize

from suban.intel.features import words

KEYWORDS = 12
THRESHOLD = 0.45
WINDOW_DAYS = 60
HALF_LIFE_DAYS = 30.0
MAX_GROUP = 300  # a bigger component is split again at a stricter threshold
CHUNK = 4_000
TITLE_LENGTH = 60
TEXT_LENGTH = 1000


@dataclass(frozen=True)
class Report:
    id: str
    title: str
    text: str  # the whole text, title included
    time: datetime
    support: float = 0.0
    area: str = ""
    reporter: str = ""


@dataclass
class Hotspot:
    title: str
    ids: list[str]
    score: float
    start: datetime
    end: datetime
    reporters: int
    support: float
    areas: list[str] = field(default_factory=list)
    keywords: list[str] = field(default_factory=list)
    recency: float = 1.0  # 0..1: halves every half-life since the group's last request
    spread: int = 1  # distinct areas (or days, without areas)

    def as_json(self) -> dict[str, object]:
        return {
            "title": self.title,
            "ids": self.ids,
            "score": round(self.score, 4),
            "start": self.start.isoformat(sep=" ", timespec="seconds"),
            "end": self.end.isoformat(sep=" ", timespec="seconds"),
        }


def keyword_vectors(reports: Sequence[Report], keywords: int = KEYWORDS) -> tuple[sp.csr_matrix, list[str]]:
    """Each report's `keywords` strongest TF-IDF words, L2-normalised; and the vocabulary."""
    n = len(reports)
    vectorizer = TfidfVectorizer(
        analyzer=words,
        sublinear_tf=True,
        min_df=2 if n >= 20 else 1,
        # A word in more than 5% of the requests tells them apart from nothing (with few requests, keep all).
        max_df=0.05 if n >= 1_000 else 1.0,
        dtype=np.float32,
    )
    # The title twice (it says what the request is about) and the text's opening, where the matter is stated.
    documents = [f"{r.title} {r.text[:TEXT_LENGTH]}" for r in reports]
    try:
        x = vectorizer.fit_transform(documents).tocsr()
    except ValueError:  # no word survived: nothing is like anything
        return sp.csr_matrix((n, 1), dtype=np.float32), [""]
    x = _keep_top(x, keywords)
    return normalize(x).tocsr(), vectorizer.get_feature_names_out().tolist()


def _keep_top(x: sp.csr_matrix, k: int) -> sp.csr_matrix:
    """Zero all but the k largest entries of each row (vectorised: one sort over the whole matrix)."""
    counts = np.diff(x.indptr)
    if counts.max(initial=0) <= k:
        return x
    rows = np.repeat(np.arange(x.shape[0]), counts)
    # Sort by row, then by weight descending; the rank of an entry within its row decides.
    order = np.lexsort((-x.data, rows))
    rank = np.arange(len(order)) - np.repeat(x.indptr[:-1], counts)
    keep = np.zeros(len(order), dtype=bool)
    keep[order[rank < k]] = True
    kept = sp.csr_matrix(
        (x.data[keep], x.indices[keep], np.concatenate([[0], np.cumsum(counts.clip(max=k))])), shape=x.shape
    )
    return kept


def similar_pairs(
    x: sp.csr_matrix, threshold: float, days: np.ndarray | None = None, window_days: float | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Pairs (i < j) whose cosine is at least `threshold` (and, with a window, close enough in time)."""
    xt = x.T.tocsr()
    sources, targets, sims = [], [], []
    for start in range(0, x.shape[0], CHUNK):
        block = (x[start : start + CHUNK] @ xt).tocoo()
        i = block.row + start
        keep = (block.data >= threshold) & (block.col > i)
        if days is not None and window_days is not None:
            keep &= np.abs(days[i] - days[block.col]) <= window_days
        sources.append(i[keep])
        targets.append(block.col[keep])
        sims.append(block.data[keep])
    if not sources:
        return np.empty(0, int), np.empty(0, int), np.empty(0, np.float32)
    return np.concatenate(sources), np.concatenate(targets), np.concatenate(sims)


def groups(n: int, i: np.ndarray, j: np.ndarray, s: np.ndarray, threshold: float) -> list[np.ndarray]:
    """Connected components of the links; oversized ones split again at a stricter threshold."""
    found: list[np.ndarray] = []
    pending = [(np.arange(n), i, j, s, threshold)]
    while pending:
        members, i, j, s, level = pending.pop()
        local = {m: k for k, m in enumerate(members.tolist())} if len(members) < n else None
        li = np.array([local[a] for a in i.tolist()], dtype=int) if local is not None else i
        lj = np.array([local[b] for b in j.tolist()], dtype=int) if local is not None else j
        graph = sp.coo_matrix((np.ones(len(li)), (li, lj)), shape=(len(members), len(members)))
        count, labels = connected_components(graph, directed=False)
        sizes = np.bincount(labels, minlength=count)
        edge_label = labels[li] if len(li) else np.empty(0, int)
        order = np.argsort(labels, kind="stable")
        ends = np.cumsum(sizes)
        for label in np.flatnonzero(sizes >= 2):
            group = members[order[ends[label] - sizes[label] : ends[label]]]
            if len(group) > MAX_GROUP and level < 0.9:
                inside = edge_label == label
                stricter = level + 0.1
                strong = inside & (s >= stricter)
                pending.append((group, i[strong], j[strong], s[strong], stricter))
            else:
                found.append(group)
    return found


def find_hotspots(
    reports: Sequence[Report],
    *,
    top: int | None = 10,
    threshold: float = THRESHOLD,
    window_days: float | None = WINDOW_DAYS,
    half_life_days: float = HALF_LIFE_DAYS,
    now: datetime | None = None,
    min_reporters: int = 2,
) -> list[Hotspot]:
    if not reports:
        return []
    x, vocabulary = keyword_vectors(reports)
    epoch = min(r.time for r in reports)
    days = np.array([(r.time - epoch).total_seconds() / 86400.0 for r in reports])
    i, j, s = similar_pairs(x, threshold, days, window_days)
    newest = now or max(r.time for r in reports)
    # Heat first, for every group (from the reports alone); the title and keywords, which read the vectors
    # and cut titles into words, only for the groups returned: with 100,000 requests there are ~20,000 groups.
    heated = []
    for members in groups(len(reports), i, j, s, threshold):
        heat = _heat(reports, members, newest, half_life_days)
        if heat.reporters >= min_reporters:
            heated.append(heat)
    heated.sort(key=lambda h: (-h.score, -len(h.members), h.end))
    chosen = heated[:top] if top else heated
    # The chosen groups' rows side by side, once: each group's vectors are then a slice of three arrays.
    rows = x[np.concatenate([h.members for h in chosen])] if chosen else x[:0]
    found, at = [], 0
    for heat in chosen:
        found.append(_describe(heat, rows, at, vocabulary))
        at += len(heat.members)
    return found


@dataclass
class _Heat:
    """What a group's heat is made of, and the heat."""

    members: np.ndarray
    chosen: list[Report]
    score: float
    start: datetime
    end: datetime
    reporters: int
    support: float
    areas: list[str]
    recency: float
    spread: int


def _heat(reports: Sequence[Report], members: np.ndarray, newest: datetime, half_life_days: float) -> _Heat:
    chosen = [reports[k] for k in members.tolist()]
    reporters = len({r.reporter for r in chosen}) if all(r.reporter for r in chosen) else len(chosen)
    support = float(sum(max(r.support, 0.0) for r in chosen))
    areas = sorted({r.area for r in chosen if r.area})
    spread = len(areas) if areas else len({r.time.date() for r in chosen})
    end = max(r.time for r in chosen)
    age_days = max((newest - end).total_seconds() / 86400.0, 0.0)
    recency = 0.5 ** (age_days / half_life_days)
    score = (math.log1p(reporters) + 0.5 * math.log1p(support) + 0.3 * math.log1p(spread)) * (0.5 + 0.5 * recency)
    start = min(r.time for r in chosen)
    return _Heat(members, chosen, score, start, end, reporters, support, areas, recency, spread)


def _describe(heat: _Heat, rows: sp.csr_matrix, at: int, vocabulary: list[str]) -> Hotspot:
    """The group's title and keywords, from its vectors: rows[at : at + size] of `rows` (CSR)."""
    size = len(heat.members)
    lo, hi = rows.indptr[at], rows.indptr[at + size]
    # The group's own words only: a dense vector over the whole vocabulary per group would dominate the time.
    columns, local_columns = np.unique(rows.indices[lo:hi], return_inverse=True)
    local = np.zeros((size, len(columns)), dtype=np.float32)
    local[np.repeat(np.arange(size), np.diff(rows.indptr[at : at + size + 1])), local_columns] = rows.data[lo:hi]
    centre = local.mean(axis=0)
    central = int(np.argmax(local @ centre))
    strongest = np.argsort(-centre)
    weights = {vocabulary[columns[k]]: float(centre[k]) for k in strongest[:20]}
    ordered = sorted(heat.chosen, key=lambda r: (r.time, r.id))
    return Hotspot(
        title=_title(heat.chosen, central, weights),
        ids=[r.id for r in ordered],
        score=heat.score,
        start=heat.start,
        end=heat.end,
        reporters=heat.reporters,
        support=heat.support,
        areas=heat.areas,
        keywords=list(weights)[:5],
        recency=heat.recency,
        spread=heat.spread,
    )


def _title(chosen: Sequence[Report], central: int, weights: dict[str, float]) -> str:
    """The member title that names most of what the group is about (its words' weight in the centre);
    on a tie, the most central request's. "噪音扰民" loses to "新港苑后面瀛洲河工地噪音扰民"."""
    candidates = range(len(chosen)) if len(chosen) <= 50 else [central, *range(50)]

    def weight(report: Report) -> float:
        # The group's strongest words that the title contains (a word search, not a segmentation: a title
        # that says 噪音扰民 names 噪音 too).
        return sum(w for word, w in weights.items() if word in report.title)

    best = max(candidates, key=lambda k: (round(weight(chosen[k]), 6), k == central))
    title = chosen[best].title or chosen[best].text
    return title if len(title) <= TITLE_LENGTH else title[: TITLE_LENGTH - 1] + "…"
