"""The console's knowledge base (/console/knowledge/): search and lists, an article with its live text, its
revision and its versions, writing and rewriting, the district's review, and a draft made from a case's
reply. Every write goes through suban.knowledge.services."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from suban.accounts.access import acting, staff_required
from suban.cases.selectors import case_or_404
from suban.console.forms import ArticleForm, ArticleStepForm
from suban.console.pickers import find_matter
from suban.errors import Conflict, DomainError, NotFound
from suban.knowledge import services
from suban.knowledge.figures import figures
from suban.knowledge.lifecycle import LABELS, Step, allowed_steps, is_reviewer
from suban.knowledge.models import Article, ArticleStatus
from suban.knowledge.selectors import (
    article_for,
    articles_visible_to,
    expiring,
    found,
    history,
    may_see_drafts,
    review_queue,
)
from suban.knowledge.spreadsheet import export_articles, import_articles

PAGE_SIZE = 30
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_IMPORT_BYTES = 10 * 2**20
# Steps whose button asks for a note; a send-back must say what the article lacks.
WITH_NOTE = {Step.SEND_BACK, Step.RETIRE}
DANGER = {Step.SEND_BACK, Step.RETIRE, Step.DISCARD}
SERVICES: dict[Step, Any] = {
    Step.SUBMIT: services.article_submit,
    Step.REVISE: services.article_revise,
    Step.DISCARD: services.article_discard,
    Step.RESTORE: services.article_restore,
}


def _article(request: HttpRequest, pk: int) -> Article:
    try:
        return article_for(request.user, pk)
    except NotFound:
        raise Http404 from None


def _writers() -> str:
    return _("Articles are written by the handlers of a community, street or department and by the dispatch centre.")


@require_GET
@staff_required
def article_list(request: HttpRequest) -> HttpResponse:
    user = acting(request)
    q = " ".join(request.GET.get("q", "").split())[:200]
    show = request.GET.get("show", "")
    scores: dict[int, float] = {}
    if q:
        hits = found(user, q, limit=50)
        rows: Any = [a for a, _s in hits]
        scores = {a.pk: s for a, s in hits}
    elif show == "review":
        rows = review_queue(user)
    elif show == "drafts":
        rows = articles_visible_to(user).filter(pending__isnull=False).order_by("-updated_at")
        if not is_reviewer(user):
            rows = rows.filter(owner__path__startswith=user.unit.path if user.unit else "-")
    elif show == "expiring":
        rows = expiring(user)
    elif show == "retired":
        rows = articles_visible_to(user).filter(status=ArticleStatus.RETIRED).order_by("-updated_at")
    else:
        show = ""
        rows = articles_visible_to(user).filter(status=ArticleStatus.PUBLISHED).order_by("-uses", "-updated_at")
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    items = [(a, scores.get(a.pk), may_see_drafts(user, a)) for a in page.object_list]
    context = {
        "q": q,
        "show": show,
        "page": page,
        "items": items,
        "reviewer": is_reviewer(user),
        "may_write": services.may_write_article(user),
        "review_count": review_queue(user).count(),
        "expiring_count": expiring(user).count(),
        "today": timezone.localdate(),
    }
    return render(request, "console/knowledge/list.html", context)


@require_GET
@staff_required
def article_page(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting(request)
    article = _article(request, pk)
    drafts = may_see_drafts(user, article)
    allowed = allowed_steps(article, user)
    steps = [s for s in allowed if s != Step.EDIT]
    buttons = [
        (s, LABELS[s], ArticleStepForm(initial={"version": article.version}, auto_id=f"id_{s}_%s"), s in WITH_NOTE)
        for s in steps
        if s not in (Step.PUBLISH, Step.SEND_BACK)
    ]
    reviewing = Step.PUBLISH in steps
    context = {
        "article": article,
        "drafts": drafts,
        "pending": article.pending if drafts else None,
        "versions": history(article) if drafts else [],
        "may_edit": Step.EDIT in allowed,
        "buttons": buttons,
        "danger": DANGER,
        "review_form": ArticleStepForm(initial={"version": article.version}, auto_id="id_review_%s")
        if reviewing
        else None,
    }
    return render(request, "console/knowledge/article.html", context)


def _matters(text: str) -> list[Any]:
    return [find_matter(line, field="matters") for line in text.splitlines() if line.strip()]


def _content(data: dict[str, Any]) -> services.Content:
    return services.Content(
        title=data["title"],
        answer=data["answer"],
        questions=data["questions"],
        basis=data["basis"],
        basis_url=data["basis_url"],
        matters=_matters(data["matters"]),
        tags=data["tags"],
        valid_from=data["valid_from"],
        valid_to=data["valid_to"],
        public=data["public"],
    )


def _refusal(form: ArticleForm, exc: DomainError) -> None:
    field = exc.field if exc.field in form.fields and exc.field != "version" else None
    form.add_error(field, exc.message)


@require_http_methods(["GET", "POST"])
@staff_required
def article_new(request: HttpRequest) -> HttpResponse:
    user = acting(request)
    if not services.may_write_article(user):
        return render(request, "console/refused.html", {"reason": _writers()}, status=403)
    form = ArticleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            article = services.article_create(by=user, content=_content(form.cleaned_data))
        except DomainError as exc:
            _refusal(form, exc)
        else:
            messages.success(request, _("The draft is saved. Submit it for review when it is ready."))
            return redirect("console:knowledge_article", pk=article.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "console/knowledge/edit.html", {"form": form, "article": None}, status=status)


@require_http_methods(["GET", "POST"])
@staff_required
def article_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting(request)
    article = _article(request, pk)
    if Step.EDIT not in allowed_steps(article, user) or article.pending is None:
        messages.error(request, _("This article has no draft you may edit now."))
        return redirect("console:knowledge_article", pk=article.pk)
    if request.method == "POST":
        form = ArticleForm(request.POST)
    else:
        p = article.pending
        form = ArticleForm(
            initial={
                "version": article.version,
                "title": p.title,
                "questions": p.questions,
                "answer": p.answer,
                "basis": p.basis,
                "basis_url": p.basis_url,
                "matters": "\n".join(f"{m.full_name}（{m.code}）" for m in p.matters.all()),
                "tags": p.tags,
                "valid_from": p.valid_from,
                "valid_to": p.valid_to,
                "public": p.public,
            }
        )
    stale = False
    if request.method == "POST" and form.is_valid():
        try:
            services.article_edit(
                article=article,
                by=user,
                content=_content(form.cleaned_data),
                expected_version=form.cleaned_data["version"],
            )
        except Conflict as exc:
            form.add_error(None, exc.message)
            stale = True
        except DomainError as exc:
            _refusal(form, exc)
        else:
            messages.success(request, _("The draft is saved."))
            return redirect("console:knowledge_article", pk=article.pk)
    status = 200 if request.method == "GET" else 409 if stale else 400
    return render(
        request, "console/knowledge/edit.html", {"form": form, "article": article, "stale": stale}, status=status
    )


@require_POST
@staff_required
def article_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    user = acting(request)
    article = _article(request, pk)
    try:
        chosen = Step(step)
    except ValueError:
        raise Http404(step) from None
    form = ArticleStepForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The page was out of date: reload it and try again."))
        return redirect("console:knowledge_article", pk=article.pk)
    version, note = form.cleaned_data["version"], form.cleaned_data["note"]
    try:
        if chosen in (Step.PUBLISH, Step.SEND_BACK):
            services.article_review(
                article=article, by=user, approve=chosen == Step.PUBLISH, note=note, expected_version=version
            )
        elif chosen == Step.RETIRE:
            services.article_retire(article=article, by=user, note=note, expected_version=version)
        elif chosen in SERVICES:
            SERVICES[chosen](article=article, by=user, expected_version=version)
        else:
            raise Http404(step)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("%(step)s: done.") % {"step": LABELS[chosen]})
        if chosen == Step.REVISE:
            return redirect("console:knowledge_edit", pk=article.pk)
    return redirect("console:knowledge_article", pk=article.pk)


@require_GET
@staff_required
def article_export(request: HttpRequest) -> HttpResponse:
    user = acting(request)
    data = export_articles(by=user, articles=articles_visible_to(user).order_by("pk"))
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="knowledge.xlsx"'
    return response


@require_http_methods(["GET", "POST"])
@staff_required
def article_import(request: HttpRequest) -> HttpResponse:
    user = acting(request)
    if not (services.may_write_article(user) or is_reviewer(user)):
        return render(request, "console/refused.html", {"reason": _writers()}, status=403)
    context: dict[str, Any] = {"reviewer": is_reviewer(user), "errors": [], "problem": ""}
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            context["problem"] = _("Choose the file to import.")
        elif upload.size is not None and upload.size > MAX_IMPORT_BYTES:
            context["problem"] = _("The file is larger than %(n)d MB.") % {"n": MAX_IMPORT_BYTES // 2**20}
        else:
            try:
                result = import_articles(by=user, data=upload.read(), publish=request.POST.get("publish") == "on")
            except DomainError as exc:
                context["problem"] = exc.message
            else:
                if not result.errors:
                    messages.success(request, _("%(n)d articles imported.") % {"n": len(result.created)})
                    return redirect(
                        f"{reverse('console:knowledge')}?show=drafts"
                        if request.POST.get("publish") != "on"
                        else reverse("console:knowledge")
                    )
                context["errors"] = result.errors
        return render(request, "console/knowledge/import.html", context, status=400)
    return render(request, "console/knowledge/import.html", context)


PERIODS = (7, 30, 90, 365)


@require_GET
@staff_required
def article_figures(request: HttpRequest) -> HttpResponse:
    user = acting(request)
    raw = request.GET.get("days", "30")
    days = int(raw) if raw.isdigit() and int(raw) in PERIODS else 30
    until = timezone.now()
    result = figures(user, until - timedelta(days=days), until)
    context = {"f": result, "days": days, "periods": PERIODS, "reviewer": is_reviewer(user)}
    return render(request, "console/knowledge/figures.html", context)


@require_POST
@staff_required
def from_case(request: HttpRequest, number: str) -> HttpResponse:
    user = acting(request)
    case = case_or_404(user, number)
    try:
        article = services.article_from_reply(case=case, by=user)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("console:case", number=case.number)
    messages.success(request, _("A draft article was made from the reply: check it, then submit it for review."))
    return redirect(reverse("console:knowledge_edit", kwargs={"pk": article.pk}))
