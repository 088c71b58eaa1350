"""The console's view of the sync: what waits, what fails and why, what was given up; send failed ones
again. For dispatchers, over the cases in their reach."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from suban.accounts.access import acting, staff_required
from suban.citysync.models import Delivery, DeliveryStatus, Webhook
from suban.citysync.services import FAILED, REPLAY_MAX, deliveries_visible_to, delivery_replay, may_watch

PER_PAGE = 50

# The piles of the queue page, each one condition over the deliveries.
PILES: dict[str, tuple[Any, Q]] = {
    "failed": (gettext_lazy("Failed"), FAILED),
    "pending": (gettext_lazy("Waiting"), Q(status__in=[DeliveryStatus.PENDING, DeliveryStatus.SENDING])),
    "dead": (gettext_lazy("Given up"), Q(status=DeliveryStatus.DEAD)),
    "sent": (gettext_lazy("Delivered"), Q(status=DeliveryStatus.SENT)),
}


def _check(request: HttpRequest) -> None:
    if not may_watch(request.user):
        raise PermissionDenied(_("The city platform queue is for dispatchers."))


@require_GET
@staff_required
def queue(request: HttpRequest) -> HttpResponse:
    _check(request)
    user = acting(request)
    mine = deliveries_visible_to(user)
    pile = request.GET.get("pile", "failed")
    if pile not in PILES:
        pile = "failed"
    webhooks = list(Webhook.objects.order_by("code"))
    chosen = next((w for w in webhooks if str(w.pk) == request.GET.get("webhook", "")), None)
    counts = mine.aggregate(**{key: Count("pk", filter=cond) for key, (_label, cond) in PILES.items()})
    per_webhook = {
        row["webhook"]: row
        for row in mine.values("webhook").annotate(
            failed=Count("pk", filter=FAILED),
            waiting=Count("pk", filter=PILES["pending"][1]),
            dead=Count("pk", filter=Q(status=DeliveryStatus.DEAD)),
        )
    }
    rows = mine.filter(PILES[pile][1]).select_related("webhook", "case").order_by("-created_at", "-pk")
    if chosen is not None:
        rows = rows.filter(webhook=chosen)
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    context: dict[str, Any] = {
        "piles": [(key, label, counts[key]) for key, (label, _cond) in PILES.items()],
        "pile": pile,
        "webhooks": [(w, per_webhook.get(w.pk, {})) for w in webhooks],
        "chosen": chosen,
        "page": page,
        "here": request.get_full_path(),
    }
    return render(request, "citysync/queue.html", context)


def _back(request: HttpRequest) -> str:
    target = request.POST.get("next", "")
    return target if target.startswith("/console/citysync/") else reverse("citysync:queue")


@require_POST
@staff_required
def replay_one(request: HttpRequest, pk: int) -> HttpResponse:
    _check(request)
    row = get_object_or_404(deliveries_visible_to(request.user), pk=pk)
    count = delivery_replay(by=request.user, rows=[row])
    if count:
        messages.success(request, _("The delivery will be sent again."))
    else:
        messages.info(request, _("That delivery has not failed; nothing to send again."))
    return redirect(_back(request))


@require_POST
@staff_required
def replay_webhook(request: HttpRequest, pk: int) -> HttpResponse:
    _check(request)
    webhook = get_object_or_404(Webhook, pk=pk)
    failed = deliveries_visible_to(request.user, Delivery.objects.filter(webhook=webhook).filter(FAILED))
    # The oldest first, REPLAY_MAX at a time: a platform down for a day leaves tens of thousands, and each
    # press hands a bounded batch to the worker (in each case's order) instead of all of them at once.
    rows = list(failed.only("pk").order_by("pk")[:REPLAY_MAX])
    count = delivery_replay(by=request.user, rows=rows)
    messages.success(
        request,
        _("%(count)d failed deliveries to %(webhook)s will be sent again.") % {"count": count, "webhook": webhook},
    )
    left = failed.count()
    if left:
        messages.info(request, _("%(left)d more failed deliveries wait: send them again next.") % {"left": left})
    return redirect(_back(request))
