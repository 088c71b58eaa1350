"""POST Service Request: a client's request becomes a case through the case services (case_submit, on the
Open311 channel; the place found on the grid by the same lookup), with its media file stored as the first
step's attachment, all in one transaction. The phone is stored encrypted on the case like every other."""

from __future__ import annotations

import math
import secrets
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from suban import crypto
from suban.cases.attachments import discard_files, save_attachments
from suban.cases.models import Attachment, Case, CaseEvent, Channel, Nature, Urgency
from suban.cases.services import case_submit
from suban.cases.services.core import next_case_number
from suban.catalogue.models import CaseType
from suban.errors import DomainError, Invalid, NotFound
from suban.open311.attributes import TEXT_LENGTH, check_attributes
from suban.open311.catalogue import matter_for
from suban.open311.models import ApiKey, Submission

TITLE_LENGTH = 60  # a title made from the description's first line


@dataclass
class Sent:
    """The form fields of a POST Service Request, as strings, and the attribute values by code."""

    service_code: str = ""
    lat: str = ""
    long: str = ""
    address_string: str = ""
    address_id: str = ""
    description: str = ""
    media_url: str = ""
    first_name: str = ""
    last_name: str = ""
    phone: str = ""
    email: str = ""
    account_id: str = ""
    device_id: str = ""
    attributes: dict[str, list[str]] = field(default_factory=dict)


class Problems(Invalid):
    """Every problem of a request at once (the spec's error list has one entry per problem)."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(problems[0], details=problems)
        self.problems = problems


def _coordinates(sent: Sent, problems: list[str]) -> tuple[float | None, float | None]:
    if not sent.lat.strip() and not sent.long.strip():
        return None, None
    try:
        lat, lon = float(sent.lat), float(sent.long)
    except ValueError:
        problems.append(_("lat and long must both be given, as decimal degrees (WGS84)."))
        return None, None
    if not (math.isfinite(lat) and math.isfinite(lon) and -90 <= lat <= 90 and -180 <= lon <= 180):
        problems.append(_("lat must lie between -90 and 90 and long between -180 and 180."))
        return None, None
    return lat, lon


def _name(first: str, last: str) -> str:
    first, last = first.strip(), last.strip()
    if any("\u4e00" <= ch <= "\u9fff" for ch in first + last):
        return f"{last}{first}"  # a Chinese name: family name first, no space
    return " ".join(p for p in (first, last) if p)


def _title(values: dict[str, Any], description: str, service_name: str) -> str:
    if values.get("title"):
        return str(values["title"])
    first_line = next((line.strip() for line in description.splitlines() if line.strip()), "")
    if first_line:
        return first_line[:TITLE_LENGTH]
    return service_name


def check(sent: Sent) -> tuple[Any, dict[str, Any], tuple[float | None, float | None]]:
    """The matter, the attribute values and the point; NotFound for an unknown service, Problems for the
    rest (all of them)."""
    if not sent.service_code.strip():
        raise Problems([_("service_code was not provided.")])
    known, matter = matter_for(sent.service_code.strip())
    if not known:
        raise NotFound(_("There is no service %(code)s.") % {"code": sent.service_code.strip()}, field="service_code")
    problems: list[str] = []
    values, attribute_problems = check_attributes(sent.attributes)
    problems.extend(attribute_problems)
    point = _coordinates(sent, problems)
    if (sent.lat.strip() == "") != (sent.long.strip() == ""):
        problems.append(_("lat and long must both be given, as decimal degrees (WGS84)."))
    if point == (None, None) and not sent.address_string.strip():
        if sent.address_id.strip():
            problems.append(_("address_id is not supported here; send lat and long, or address_string."))
        else:
            problems.append(_("A location is required: lat and long, or address_string."))
    if len(sent.description) > TEXT_LENGTH:
        problems.append(_("description is longer than %(n)d characters.") % {"n": TEXT_LENGTH})
    if sent.media_url.strip():
        try:
            URLValidator(schemes=["http", "https"])(sent.media_url.strip())
        except ValidationError:
            problems.append(_("media_url is not an http or https URL."))
        if len(sent.media_url.strip()) > 500:
            problems.append(_("media_url is longer than 500 characters."))
    if sent.phone.strip():
        try:
            crypto.normalize_phone(sent.phone)
        except DomainError as exc:
            problems.append(exc.message)
    if len(sent.email.strip()) > 254 or (sent.email.strip() and "@" not in sent.email):
        problems.append(_("email is not an email address."))
    if problems:
        raise Problems(list(dict.fromkeys(problems)))
    return matter, values, point


def open311_submit(*, key: ApiKey, sent: Sent, media: Any = None) -> tuple[Case, Submission]:
    """A new case from an Open311 client holding `key`. Refusals raise before anything is written; a failure
    while writing rolls the case, its event, its file and the submission back together."""
    if key is None or not key.active:
        raise DomainError(_("A valid api_key is required to create a request."))
    matter, values, (lat, lon) = check(sent)
    service_name = matter.name if matter is not None else _("Other")
    number = next_case_number(timezone.now())  # before the transaction, as case_intake does
    stored: list[Attachment] = []
    try:
        with transaction.atomic():
            case = case_submit(
                by=None,
                title=_title(values, sent.description, service_name),
                text=sent.description,
                case_type=values.get("case_type", CaseType.LIVELIHOOD),
                nature=values.get("nature", Nature.HELP),
                channel=Channel.OPEN311,
                matter=matter,
                urgency=values.get("urgency", Urgency.NORMAL),
                longitude=lon,
                latitude=lat,
                address=sent.address_string,
                contact_name=_name(sent.first_name, sent.last_name),
                contact_phone=sent.phone.strip(),
                anonymous=values.get("anonymous") == "true",
                confidential=values.get("confidential") == "true",
                number=number,
            )
            if media is not None:
                first = CaseEvent.objects.get(case=case, seq=1)
                stored = save_attachments(case=case, files=[media], by=None, event=first)
            email = sent.email.strip()
            submission = Submission.objects.create(
                case=case,
                key=key,
                token=secrets.token_hex(12),
                media_url=sent.media_url.strip(),
                media=stored[0] if stored else None,
                attributes=values,
                account_id=sent.account_id.strip()[:100],
                email_encrypted=crypto.encrypt(email) if email else "",
            )
    except BaseException:
        discard_files(stored)
        raise
    return case, submission
