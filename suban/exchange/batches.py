"""An import batch's uploaded file and its ending, shared by the order and history imports."""

from __future__ import annotations

import time
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from suban.errors import Invalid
from suban.exchange.models import BatchState, ImportBatch


def forget_file(batch: ImportBatch) -> None:
    """Once imported, the uploaded file (phone numbers and all) is not kept: the cases and the report are."""
    if batch.file:
        batch.file.delete(save=False)


def open_upload(batch: ImportBatch) -> Any:
    """The batch's uploaded file, open for reading; a clear error when it is no longer kept."""
    if not batch.file:
        raise Invalid(
            _(
                "The uploaded file is no longer kept (uploads are deleted %(hours)d hours after they were "
                "checked); upload it again."
            )
            % {"hours": settings.EXCHANGE_UPLOAD_HOURS}
        )
    return batch.file.open("rb")


def forget_stale_uploads(*, now: datetime | None = None) -> int:
    """Delete the files of batches checked but never imported (or refused) more than EXCHANGE_UPLOAD_HOURS
    ago: an upload carries citizens' phone numbers, and is kept only while someone may still import it.
    The batch's record and its error report stay. Returns how many files went."""
    cutoff = (now or timezone.now()) - timedelta(hours=settings.EXCHANGE_UPLOAD_HOURS)
    stale = ImportBatch.objects.filter(created_at__lt=cutoff).exclude(state=BatchState.DONE).exclude(file="")
    forgotten = 0
    for batch in stale.iterator():
        forget_file(batch)
        batch.save(update_fields=["file"])
        forgotten += 1
    return forgotten


def batch_refuse(batch: ImportBatch, started: float) -> ImportBatch:
    """End a batch refused: nothing imported, the report of its errors kept."""
    batch.created = 0
    batch.state = BatchState.REFUSED
    batch.seconds = time.monotonic() - started
    batch.finished_at = timezone.now()
    batch.save()
    return batch
