"""Answers on the H5 (知识库): the public articles of the knowledge base, searched as a citizen asks, and
offered while she writes a request. "This answers me" ends there and is counted (the deflection); "not what
I need" lets her go on to submit. Open to everyone: a consultation needs no login."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from suban.errors import NotFound
from suban.h5.access import STAFF_HOME
from suban.knowledge.models import Article, ArticleStatus, UseKind
from suban.knowledge.selectors import article_for, found, public_articles
from suban.knowledge.services import record_use

SUGGEST_MIN_SCORE = 0.2  # a suggestion under a request must be close; the search page shows more
COUNTED = "kb_counted"  # the session's articles already counted, so a reload does not count twice


def _public(request: HttpRequest, pk: int) -> Article:
    try:
        article = article_for(None, pk)  # what anyone may read: published, public, valid today
    except NotFound:
        raise Http404 from None
    if article.status != ArticleStatus.PUBLISHED or article.live is None:
        raise Http404
    return article


def _staff(request: HttpRequest) -> bool:
    return request.user.is_authenticated and not getattr(request.user, "is_citizen", False)


@require_GET
def answers(request: HttpRequest) -> HttpResponse:
    if _staff(request):
        return HttpResponseRedirect(STAFF_HOME)
    q = " ".join(request.GET.get("q", "").split())[:200]
    if q:
        items = [a for a, _score in found(None, q, limit=20)]
    else:
        items = list(public_articles().select_related("live").order_by("-uses", "-updated_at")[:20])
    return render(request, "h5/answers.html", {"q": q, "items": items})


@require_GET
def answer(request: HttpRequest, pk: int) -> HttpResponse:
    if _staff(request):
        return HttpResponseRedirect(STAFF_HOME)
    return render(request, "h5/answer.html", {"article": _public(request, pk)})


@require_GET
def suggest(request: HttpRequest) -> HttpResponse:
    """The few public articles that answer what is being typed (htmx, under the request form)."""
    text = " ".join(f"{request.GET.get('title', '')} {request.GET.get('text', '')}".split())[:600]
    items = [a for a, score in found(None, text, limit=3) if score >= SUGGEST_MIN_SCORE] if len(text) >= 4 else []
    return render(request, "h5/_answers.html", {"items": items})


def _count(request: HttpRequest, article: Article, kind: UseKind) -> None:
    counted = set(request.session.get(COUNTED, []))
    key = f"{article.pk}:{kind}"
    if key in counted:
        return
    citizen = request.user if request.user.is_authenticated and getattr(request.user, "is_citizen", False) else None
    record_use(article=article, kind=kind, by=citizen)
    request.session[COUNTED] = sorted(counted | {key})


@require_POST
def helped(request: HttpRequest, pk: int) -> HttpResponse:
    article = _public(request, pk)
    _count(request, article, UseKind.SELF_SERVED)
    if request.headers.get("HX-Request"):
        return render(request, "h5/_answered.html", {"article": article})
    return render(request, "h5/answered.html", {"article": article})


@require_POST
def not_helpful(request: HttpRequest, pk: int) -> HttpResponse:
    article = _public(request, pk)
    _count(request, article, UseKind.NOT_HELPFUL)
    if request.headers.get("HX-Request"):
        return HttpResponse("")  # the suggestion goes away; the form is still there
    return HttpResponseRedirect(reverse("h5:submit"))
