"""The knowledge base's daily reminders: authors of articles about to expire, once per expiry date; the
district's reviewers of what waits for them."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from django.utils import timezone

from suban.knowledge.reminders import send_reminders
from suban.knowledge.services import article_create, article_submit
from suban.notify.models import Outbox
from tests.conftest import Cast
from tests.knowledge.conftest import PARKING, SOCIAL, published


def test_authors_hear_once_of_articles_about_to_expire(cast: Cast, db: None) -> None:
    for person in (cast.dan, cast.sam, cast.dora):
        person.email = f"{person.username}@example.org"
        person.save()
    today = timezone.localdate()
    soon = published(cast, replace(SOCIAL, valid_to=today + timedelta(days=10)))
    published(cast, replace(PARKING, valid_to=today + timedelta(days=300)))  # far off: nobody is told
    sent = send_reminders(today)
    assert (sent.expiring_units, sent.expiring_articles) == (1, 1)
    told = Outbox.objects.filter(template="staff_articles_expiring")
    assert [o.recipient for o in told] == [cast.dan]
    assert "1条知识" in told.get().subject
    assert send_reminders(today).expiring_articles == 0  # once per expiry date
    soon.refresh_from_db()
    assert soon.reminded_valid_to == today + timedelta(days=10)
    # Waiting for review: the district's dispatchers and supervisors hear of it.
    draft = article_create(by=cast.dan, content=replace(SOCIAL, title="居住证怎么办？"))
    article_submit(article=draft, by=cast.dan)
    sent = send_reminders(today)
    assert sent.waiting == 1
    assert {o.recipient for o in Outbox.objects.filter(template="staff_articles_to_review")} == {cast.sam, cast.dora}
