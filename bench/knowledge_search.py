"""The knowledge base's search: how often the right article comes first, and how fast a query is at the size
of a megacity's knowledge base.

1. Quality: the demo's 286 real articles (suban/demo/data/knowledge.csv: a citizen's question and the official
   answer), each asked in the words of the rest of the citizen's message (the article keeps only its first
   sentence): top-1 and top-3.
2. Speed and memory: an index of 50,000 articles made from the real messages and replies of teddy2020c (each
   real text used several times with its place names changed, so that the vocabulary is a real one), built
   once; then 2,000 queries (real message titles) timed one by one.

Run: .venv/bin/python bench/knowledge_search.py
"""

from __future__ import annotations

import csv
import os
import random
import re
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "suban.settings")

import django

django.setup()

from suban.knowledge.search import ANSWER_CHARS, Entry, Folder, Index  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data" / "teddy2020c"
if not DATA.exists():
    DATA = Path("/work/shared/data/teddy2020c")
KNOWLEDGE = ROOT / "suban" / "demo" / "data" / "knowledge.csv"
FOLDER = Folder([["社会保险", "社保"], ["医疗保险", "医保"], ["住房公积金", "公积金"], ["户籍", "户口"]])
SIZE, QUERIES = int(os.environ.get("KB_BENCH_SIZE", 50_000)), 2_000


def rows(name: str) -> list[dict[str, str]]:
    with open(DATA / name, encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def quality() -> None:
    replies = {r["留言编号"]: r for r in rows("messages_with_replies.csv")}
    with KNOWLEDGE.open(encoding="utf-8") as handle:
        articles = list(csv.DictReader(handle))
    entries = [Entry(i, True, None, None) for i in range(len(articles))]
    index = Index(
        entries,
        [FOLDER(f"{a['title']}\n{a['question']}") for a in articles],
        [FOLDER(a["answer"][:ANSWER_CHARS]) for a in articles],
        FOLDER,
    )
    asked = top1 = top3 = 0
    for i, article in enumerate(articles):
        detail = " ".join(replies[article["id"]]["留言详情"].split())
        rest = re.split(r"[。！？?!]", detail, maxsplit=1)
        if len(rest) < 2 or len(rest[1]) < 20:
            continue
        hits = [h.article_id for h in index.search(rest[1][:200], limit=3, public_only=False, today=TODAY)]
        asked += 1
        top1 += hits[:1] == [i]
        top3 += i in hits
    print(f"quality: {asked} questions asked in other words: top-1 {top1 / asked:.0%}, top-3 {top3 / asked:.0%}")


def speed() -> None:
    texts = [(r["留言主题"], " ".join(r["答复意见"].split())) for r in rows("messages_with_replies.csv")]
    texts += [(r["留言主题"], " ".join(r["留言详情"].split())) for r in rows("messages_unlabeled.csv")]
    places = [f"{c}{n}区" for c in "ABCDEFGHJK" for n in range(1, 10)]
    rng = random.Random(2026)
    asks, answers = [], []
    while len(asks) < SIZE:
        title, body = texts[len(asks) % len(texts)]
        place = rng.choice(places)
        asks.append(FOLDER(re.sub(r"[A-Z]\d*区", place, title)))
        answers.append(FOLDER(re.sub(r"[A-Z]\d*区", place, body)[:ANSWER_CHARS]))
    entries = [Entry(i, True, None, None) for i in range(SIZE)]
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    index = Index(entries, asks, answers, FOLDER)
    built = time.perf_counter() - started
    grown = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    queries = [r["留言主题"] for r in rows("messages_labeled_train.csv")]
    times = []
    for q in (queries * 3)[:QUERIES]:
        t = time.perf_counter()
        index.search(q, limit=10, public_only=True, today=TODAY)
        times.append(time.perf_counter() - t)
    times.sort()
    p50, p99 = times[len(times) // 2] * 1000, times[int(len(times) * 0.99)] * 1000
    print(
        f"speed: {SIZE:,} articles indexed in {built:.1f} s (peak memory +{grown:.0f} MB);"
        f" {QUERIES:,} queries: p50 {p50:.1f} ms, p99 {p99:.1f} ms"
    )


if __name__ == "__main__":
    from datetime import date

    TODAY = date.today()
    quality()
    speed()
