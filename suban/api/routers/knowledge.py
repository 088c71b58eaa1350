"""The knowledge base (知识库): search, read, write, review. Staff read every published article and, where they
write or review, the drafts; citizens read the public ones."""

from typing import Any

from django.db.models import Case, FloatField, QuerySet, Value, When
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import File, Form, Query, Router, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from suban.api.auth import caller
from suban.api.pagination import LimitOffset
from suban.api.schemas.common import errors
from suban.api.schemas.knowledge import (
    ArticleContentIn,
    ArticleDraftIn,
    ArticleFilters,
    ArticleIn,
    ArticleOut,
    ArticleRetireIn,
    ArticleReviewIn,
    ArticleRow,
    ArticleStepIn,
    ArticleVersionOut,
    ImportOut,
)
from suban.api.throttles import reads, writes
from suban.cases.selectors import visible_case
from suban.catalogue.selectors import matters_by_code
from suban.errors import Invalid
from suban.knowledge import services
from suban.knowledge.lifecycle import allowed_steps
from suban.knowledge.models import Article, ArticleVersion
from suban.knowledge.selectors import article_for, articles_visible_to, found, history, may_see_drafts, review_queue
from suban.knowledge.spreadsheet import export_articles, import_articles
from suban.org.selectors import unit_by_code

router = Router(tags=["knowledge"])


def _content(body: ArticleContentIn) -> services.Content:
    return services.Content(
        title=body.title,
        answer=body.answer,
        questions="\n".join(body.questions),
        basis=body.basis,
        basis_url=body.basis_url,
        matters=matters_by_code(body.matters, field="matters"),
        tags=",".join(body.tags),
        valid_from=body.valid_from,
        valid_to=body.valid_to,
        public=body.public,
    )


def version_out(version: ArticleVersion) -> dict[str, Any]:
    return {
        "number": version.number,
        "state": version.state,
        "title": version.title,
        "questions": version.question_list()[1:],
        "answer": version.answer,
        "basis": version.basis,
        "basis_url": version.basis_url,
        "matters": [m.code for m in version.matters.all()],
        "tags": version.tag_list(),
        "valid_from": version.valid_from,
        "valid_to": version.valid_to,
        "public": version.public,
        "written_by": version.written_by.username if version.written_by else None,
        "written_at": version.written_at,
        "reviewed_by": version.reviewed_by.username if version.reviewed_by else None,
        "reviewed_at": version.reviewed_at,
        "review_note": version.review_note,
        "from_case": version.from_case.number if version.from_case else None,
    }


def article_out(article: Article, viewer: Any) -> dict[str, Any]:
    article = article_for(viewer, article.pk)  # as it is now, with its relations
    drafts = may_see_drafts(viewer, article)
    return {
        "id": article.pk,
        "status": article.status,
        "owner": article.owner.code,
        "owner_name": article.owner.name,
        "version": article.version,
        "uses": article.uses,
        "live": version_out(article.live) if article.live is not None else None,
        "pending": version_out(article.pending) if drafts and article.pending is not None else None,
        "steps": [str(s) for s in allowed_steps(article, viewer)],
        "updated_at": article.updated_at,
    }


@router.get(
    "/articles",
    response={200: list[ArticleRow], **errors()},
    summary="Search and list the articles you may read",
    description="With `q`, the articles that best answer the question, best first (at most 100); without it,"
    " the latest changed first.",
    operation_id="knowledge_articles",
)
@paginate(LimitOffset)
def list_articles(request: HttpRequest, filters: Query[ArticleFilters]) -> QuerySet[Article]:
    viewer = caller(request)
    qs = review_queue(viewer) if filters.awaiting_review else articles_visible_to(viewer).order_by("-updated_at")
    if filters.status is not None:
        qs = qs.filter(status=filters.status)
    if filters.q and filters.q.strip():
        hits = found(viewer, filters.q, limit=100)
        if not hits:
            return qs.none()
        qs = qs.filter(pk__in=[a.pk for a, _s in hits]).annotate(
            rank=Case(*[When(pk=a.pk, then=Value(i)) for i, (a, _s) in enumerate(hits)]),
            score=Case(*[When(pk=a.pk, then=Value(s)) for a, s in hits], output_field=FloatField()),
        )
        qs = qs.order_by("rank")
    return qs


@router.get(
    "/articles/{article_id}",
    response={200: ArticleOut, **errors(404)},
    summary="One article: its live text, and its revision in progress where you write or review it",
    operation_id="knowledge_article",
)
def get_article(request: HttpRequest, article_id: int) -> Any:
    viewer = caller(request)
    return article_out(article_for(viewer, article_id), viewer)


@router.get(
    "/articles/{article_id}/versions",
    response={200: list[ArticleVersionOut], **errors(404)},
    summary="Every version of an article, newest first (its authors and reviewers)",
    operation_id="knowledge_article_versions",
)
def get_versions(request: HttpRequest, article_id: int) -> Any:
    viewer = caller(request)
    article = article_for(viewer, article_id)
    if not may_see_drafts(viewer, article):
        return [version_out(article.live)] if article.live is not None else []
    return [version_out(v) for v in history(article).prefetch_related("matters")]


@router.post(
    "/articles",
    response={201: ArticleOut, **errors(403)},
    summary="Write a new article (a draft of your unit)",
    operation_id="knowledge_article_create",
    throttle=[reads, writes],
)
def create_article(request: HttpRequest, payload: ArticleIn) -> Any:
    viewer = caller(request)
    owner = unit_by_code(payload.owner, field="owner") if payload.owner else None
    article = services.article_create(by=viewer, content=_content(payload), owner=owner)
    return Status(201, article_out(article, viewer))


@router.put(
    "/articles/{article_id}/draft",
    response={200: ArticleOut, **errors(403, 404, 409)},
    summary="Rewrite the revision in progress",
    operation_id="knowledge_article_edit",
    throttle=[reads, writes],
)
def edit_article(request: HttpRequest, article_id: int, payload: ArticleDraftIn) -> Any:
    viewer = caller(request)
    article = article_for(viewer, article_id)
    services.article_edit(article=article, by=viewer, content=_content(payload), expected_version=payload.version)
    return article_out(article, viewer)


def _step(name: str, summary: str, service: Any) -> None:
    @router.post(
        f"/articles/{{article_id}}/{name}",
        response={200: ArticleOut, **errors(403, 404, 409)},
        summary=summary,
        operation_id=f"knowledge_article_{name}",
        throttle=[reads, writes],
    )
    def step(request: HttpRequest, article_id: int, payload: ArticleStepIn) -> Any:
        viewer = caller(request)
        article = article_for(viewer, article_id)
        service(article=article, by=viewer, expected_version=payload.version)
        return article_out(article, viewer)


_step("submit", "Send the revision in progress to the district for review", services.article_submit)
_step("revise", "Start the next version of a published article (the live text stays)", services.article_revise)
_step("discard", "Drop the revision in progress of a published article", services.article_discard)
_step("restore", "Publish a retired article again (the district)", services.article_restore)


@router.post(
    "/articles/{article_id}/review",
    response={200: ArticleOut, **errors(403, 404, 409)},
    summary="Publish the revision under review, or send it back (the district)",
    operation_id="knowledge_article_review",
    throttle=[reads, writes],
)
def review_article(request: HttpRequest, article_id: int, payload: ArticleReviewIn) -> Any:
    viewer = caller(request)
    article = article_for(viewer, article_id)
    services.article_review(
        article=article, by=viewer, approve=payload.approve, note=payload.note, expected_version=payload.version
    )
    return article_out(article, viewer)


@router.post(
    "/articles/{article_id}/retire",
    response={200: ArticleOut, **errors(403, 404, 409)},
    summary="Take an article out of search and the citizens' pages",
    operation_id="knowledge_article_retire",
    throttle=[reads, writes],
)
def retire_article(request: HttpRequest, article_id: int, payload: ArticleRetireIn) -> Any:
    viewer = caller(request)
    article = article_for(viewer, article_id)
    services.article_retire(article=article, by=viewer, note=payload.note, expected_version=payload.version)
    return article_out(article, viewer)


@router.post(
    "/from-case/{number}",
    response={201: ArticleOut, **errors(403, 404)},
    summary="Make a draft article from a case's reply, in one step",
    operation_id="knowledge_article_from_case",
    throttle=[reads, writes],
)
def from_case(request: HttpRequest, number: str) -> Any:
    viewer = caller(request)
    article = services.article_from_reply(case=visible_case(viewer, number), by=viewer)
    return Status(201, article_out(article, viewer))


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@router.get(
    "/export.xlsx",
    response={200: None, **errors()},
    summary="The articles you may read as a workbook, in the layout an import reads",
    operation_id="knowledge_export",
)
def export(request: HttpRequest) -> Any:
    viewer = caller(request)
    response = HttpResponse(
        export_articles(by=viewer, articles=articles_visible_to(viewer).order_by("pk")), content_type=XLSX
    )
    response["Content-Disposition"] = 'attachment; filename="knowledge.xlsx"'
    return response


@router.post(
    "/import",
    response={201: ImportOut, **errors(403)},
    summary="Import articles from a workbook (.xlsx or .csv): every row, or none",
    description="Columns 问题 and 答复 are required; see the export for the layout. A row with a problem answers 400"
    " with one `{row, column, message}` per problem in `details`, and nothing is written. `publish` (the district's"
    " reviewers only) publishes them at once.",
    operation_id="knowledge_import",
    throttle=[reads, writes],
)
def import_(request: HttpRequest, file: File[UploadedFile], publish: Form[bool] = False) -> Any:
    viewer = caller(request)
    result = import_articles(by=viewer, data=file.read(), publish=publish)
    if result.errors:
        raise Invalid(
            _("%(n)d problems in the file: nothing was imported.") % {"n": len(result.errors)},
            field="file",
            details=[{"row": e.row, "column": e.column, "message": e.message} for e in result.errors[:500]],
        )
    return Status(201, {"created": len(result.created), "ids": [a.pk for a in result.created]})
