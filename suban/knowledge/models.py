"""The knowledge base (知识库): articles that answer what citizens ask, each kept in versions.

An article is owned by a unit (a department, a street, a community, or the district's dispatch centre). Its
content lives in versions: the live one (the published text that search finds and citizens read) and at most
one pending revision (a draft, or a draft under the district's review). A new article is only a pending
draft until the district publishes it; a published article stays live, unchanged, while its next revision is
written and reviewed. The steps between these states are the table in suban.knowledge.lifecycle.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

TITLE_LENGTH = 200
TEXT_LENGTH = 10000


class ArticleStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")  # never published: only its pending version exists
    PUBLISHED = "published", _("Published")
    RETIRED = "retired", _("Retired")


class VersionState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    REVIEWING = "reviewing", _("Awaiting review")
    PUBLISHED = "published", _("Published")  # the live text
    SUPERSEDED = "superseded", _("Superseded")  # was live; a later version replaced it


class Article(models.Model):
    owner = models.ForeignKey(
        "org.Unit", verbose_name=_("owning unit"), on_delete=models.PROTECT, related_name="articles"
    )
    status = models.CharField(_("status"), max_length=12, choices=ArticleStatus.choices, default=ArticleStatus.DRAFT)
    live = models.OneToOneField(
        "ArticleVersion",
        verbose_name=_("live version"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    pending = models.OneToOneField(
        "ArticleVersion",
        verbose_name=_("revision in progress"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Bumped by every write: a page or client that saw an older one is refused (compare-and-swap).
    version = models.PositiveIntegerField(_("version"), default=1)
    uses = models.PositiveIntegerField(_("times used to answer"), default=0)
    # The expiry date its authors were last reminded of (suban.knowledge.reminders): once per date.
    reminded_valid_to = models.DateField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True, db_index=True)

    class Meta:
        verbose_name = _("knowledge article")
        verbose_name_plural = _("knowledge articles")
        ordering = ["-updated_at"]
        indexes = [models.Index(fields=["status", "owner"])]

    def __str__(self) -> str:
        shown = self.live or self.pending
        return shown.title if shown is not None else f"#{self.pk}"


class ArticleVersion(models.Model):
    """One version of an article's content. A version is written while it is a draft and frozen once
    submitted; what the district sends back is a draft again."""

    article = models.ForeignKey(Article, verbose_name=_("article"), on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version number"))
    state = models.CharField(_("state"), max_length=12, choices=VersionState.choices, default=VersionState.DRAFT)
    title = models.CharField(_("question"), max_length=TITLE_LENGTH)
    # Further ways citizens ask the same thing, one per line.
    questions = models.TextField(_("other wordings of the question"), max_length=TEXT_LENGTH, blank=True)
    answer = models.TextField(_("answer"), max_length=TEXT_LENGTH)
    basis = models.TextField(_("policy basis"), max_length=TEXT_LENGTH, blank=True)
    basis_url = models.URLField(_("link to the policy"), max_length=500, blank=True)
    matters = models.ManyToManyField("catalogue.Matter", verbose_name=_("matters"), blank=True, related_name="+")
    tags = models.CharField(_("tags"), max_length=200, blank=True)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    public = models.BooleanField(_("shown to citizens"), default=True)
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("written by"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    written_at = models.DateTimeField(_("written"), auto_now=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    review_note = models.TextField(_("review note"), max_length=5000, blank=True)
    # The reply a unit gave to a case, when the version was made from it.
    from_case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("made from case"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("article version")
        verbose_name_plural = _("article versions")
        ordering = ["article", "-number"]
        constraints = [models.UniqueConstraint(fields=["article", "number"], name="knowledge_version_number")]

    def __str__(self) -> str:
        return f"{self.title} (v{self.number})"

    def question_list(self) -> list[str]:
        return [self.title, *(q.strip() for q in self.questions.splitlines() if q.strip())]

    def tag_list(self) -> list[str]:
        return [t for t in self.tags.replace("，", ",").replace(" ", ",").split(",") if t]


class Synonym(models.Model):
    """Words that mean the same to a citizen (社保 = 社会保险, 医保 = 医疗保险): search treats them as one."""

    words = models.CharField(
        _("words that mean the same"),
        max_length=300,
        help_text=_("Separated by commas, e.g. 社保,社会保险,社会保障"),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("synonym")
        verbose_name_plural = _("synonyms")

    def __str__(self) -> str:
        return self.words

    def word_list(self) -> list[str]:
        return [w.strip() for w in self.words.replace("，", ",").split(",") if w.strip()]


class UseKind(models.TextChoices):
    ANSWERED = "answered", _("Answered a case")  # the dispatch centre closed a consultation with it
    SELF_SERVED = "self_served", _("Answered a citizen on the H5")  # "this answers me"
    NOT_HELPFUL = "not_helpful", _("Did not answer a citizen")  # "not what I need", went on to submit


class ArticleUse(models.Model):
    """An article put to use: the figures of deflection, the articles most used, and the gaps."""

    article = models.ForeignKey(Article, verbose_name=_("article"), on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("kind"), max_length=12, choices=UseKind.choices)
    case = models.ForeignKey(
        "cases.Case", verbose_name=_("case"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("article use")
        verbose_name_plural = _("article uses")

    def __str__(self) -> str:
        return f"{self.article_id} {self.kind}"
