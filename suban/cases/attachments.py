"""Files attached to a case: checked by their content (never by their name), cleaned of metadata, stored
through Django's default storage, and shown only to people who may see the case.

`check_upload(f)` tells what an uploaded file really is (photo, voice or video) or raises Invalid with a
message to show; `save_attachments(...)` checks a batch and stores it. The citizen H5 and the staff console
both call these two.
"""

from __future__ import annotations

import io
import struct
import uuid
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import IO, Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from suban.accounts.models import User
from suban.cases.models import Attachment, Case, CaseEvent
from suban.cases.selectors import cases_visible_to
from suban.errors import Invalid

try:  # HEIC/HEIF decoding is optional: without the plugin such photos are checked by structure only.
    import pillow_heif

    pillow_heif.register_heif_opener()
    HEIF_DECODER = True
except ImportError:  # pragma: no cover - depends on the installation
    HEIF_DECODER = False

Kind = Attachment.Kind
MB = 1024 * 1024
MAX_BYTES = {Kind.PHOTO: 10 * MB, Kind.VOICE: 10 * MB, Kind.VIDEO: 50 * MB}
MAX_PHOTOS = 9  # per upload: nine photos ...
MAX_MEDIA = 1  # ... and one voice recording or one video
MAX_PIXELS = 50_000_000  # a photo from a phone has at most ~50 megapixels; more is a decompression bomb
HEAD = 64  # bytes read to recognise a format


@dataclass(frozen=True)
class Sniffed:
    kind: str
    content_type: str
    extension: str


def _name(f: Any) -> str:
    return str(getattr(f, "name", "") or _("the file")).rsplit("/", 1)[-1][:80]


def _refuse(f: Any, message: str) -> Invalid:
    return Invalid(_("%(name)s: %(problem)s") % {"name": _name(f), "problem": message}, field="file")


def _read(f: Any, start: int, length: int) -> bytes:
    f.seek(start)
    data: bytes = f.read(length)
    return data


def _size(f: Any) -> int:
    size = getattr(f, "size", None)
    if size is None:
        f.seek(0, io.SEEK_END)
        size = f.tell()
    return int(size)


# --- ISO base media (MP4, MOV, 3GP, M4A, HEIC): boxes of (size, type), nested.

HEIF_BRANDS = {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1"}
AVIF_BRANDS = {b"avif", b"avis"}
MOV_BRANDS = {b"qt  "}
THREE_GP_PREFIXES = (b"3gp", b"3g2", b"3ge", b"3gg", b"3gs", b"3gr")
AUDIO_BRANDS = {b"M4A ", b"M4B ", b"M4P ", b"F4A ", b"F4B "}


def _boxes(f: Any, start: int, end: int) -> Iterable[tuple[bytes, int, int]]:
    """(type, payload start, payload end) of the boxes between `start` and `end`."""
    pos = start
    while pos + 8 <= end:
        header = _read(f, pos, 16)
        if len(header) < 8:
            return
        size, kind = struct.unpack(">I4s", header[:8])
        body = pos + 8
        if size == 1:  # a 64-bit size follows
            if len(header) < 16:
                return
            size = struct.unpack(">Q", header[8:16])[0]
            body = pos + 16
        elif size == 0:  # the box runs to the end of the file
            size = end - pos
        if size < body - pos or pos + size > end:
            return
        yield kind, body, pos + size
        pos += size


def _child(f: Any, start: int, end: int, kind: bytes) -> tuple[int, int] | None:
    for found, body, stop in _boxes(f, start, end):
        if found == kind:
            return body, stop
    return None


def _track_handlers(f: Any, size: int) -> set[bytes]:
    """The handler types (b"vide", b"soun", ...) of the tracks in the movie box."""
    moov = _child(f, 0, size, b"moov")
    if moov is None:
        return set()
    handlers = set()
    for kind, body, stop in _boxes(f, *moov):
        if kind != b"trak":
            continue
        mdia = _child(f, body, stop, b"mdia")
        hdlr = _child(f, *mdia, b"hdlr") if mdia else None
        if hdlr is not None:
            # version and flags (4), pre_defined / QuickTime component type (4), handler type (4)
            handlers.add(_read(f, hdlr[0] + 8, 4))
    return handlers


def _sniff_iso(f: Any, head: bytes, size: int) -> Sniffed:
    ftyp_size = struct.unpack(">I", head[:4])[0]
    ftyp = _read(f, 8, max(0, min(ftyp_size, 256) - 8))
    major = ftyp[:4]
    brands = {major} | {ftyp[i : i + 4] for i in range(8, len(ftyp) - 3, 4)}
    if major in HEIF_BRANDS and not brands & AVIF_BRANDS:
        if _child(f, 0, size, b"meta") is None:  # a HEIF image keeps its items in the meta box
            raise _refuse(f, _("the picture is damaged or not really a picture."))
        return Sniffed(Kind.PHOTO, "image/heic" if major.startswith(b"he") else "image/heif", "heic")
    if brands & AVIF_BRANDS:
        raise _refuse(f, _("AVIF photos are not accepted; choose a JPEG, PNG or HEIC photo."))
    handlers = _track_handlers(f, size)
    if b"vide" in handlers:
        if major in MOV_BRANDS:
            return Sniffed(Kind.VIDEO, "video/quicktime", "mov")
        if major.startswith(THREE_GP_PREFIXES):
            return Sniffed(Kind.VIDEO, "video/3gpp", "3gp")
        return Sniffed(Kind.VIDEO, "video/mp4", "mp4")
    if b"soun" in handlers:
        if major.startswith(THREE_GP_PREFIXES):
            return Sniffed(Kind.VOICE, "audio/3gpp", "3gp")
        return Sniffed(Kind.VOICE, "audio/mp4", "m4a")
    raise _refuse(f, _("the recording is incomplete or holds neither sound nor picture."))


# --- EBML (WebM): variable-length ids and sizes.


def _vint(data: bytes, pos: int, *, keep_marker: bool) -> tuple[int, int] | None:
    """The variable-length integer at `pos` and the position after it."""
    if pos >= len(data) or data[pos] == 0:
        return None
    first = data[pos]
    length = 8 - first.bit_length() + 1
    if pos + length > len(data):
        return None
    value = first if keep_marker else first & ((1 << (8 - length)) - 1)
    for byte in data[pos + 1 : pos + length]:
        value = (value << 8) | byte
    return value, pos + length


UNKNOWN_SIZE = -1


def _elements(data: bytes, start: int, end: int) -> Iterable[tuple[int, int, int]]:
    """(id, payload start, payload end) of the EBML elements in data[start:end]."""
    pos = start
    while pos < end:
        ident = _vint(data, pos, keep_marker=True)
        if ident is None:
            return
        size = _vint(data, ident[1], keep_marker=False)
        if size is None:
            return
        length = size[1] - ident[1]
        unknown = size[0] == (1 << (7 * length)) - 1  # all ones: "until the parent ends" (live recordings)
        stop = end if unknown else min(size[1] + size[0], end)
        yield ident[0], size[1], stop
        if unknown:
            return
        pos = stop


EBML, DOCTYPE, SEGMENT, TRACKS, TRACK_ENTRY, TRACK_TYPE, CLUSTER = (
    0x1A45DFA3,
    0x4282,
    0x18538067,
    0x1654AE6B,
    0xAE,
    0x83,
    0x1F43B675,
)
WEBM_SCAN = 4 * MB  # the track list comes before the first cluster, near the start


def _sniff_webm(f: Any) -> Sniffed:
    data = _read(f, 0, WEBM_SCAN)
    doctype = b""
    track_types: set[int] = set()
    for ident, body, stop in _elements(data, 0, len(data)):
        if ident == EBML:
            for sub, sbody, sstop in _elements(data, body, stop):
                if sub == DOCTYPE:
                    doctype = data[sbody:sstop]
        elif ident == SEGMENT:
            for sub, sbody, sstop in _elements(data, body, stop):
                if sub == CLUSTER:
                    break
                if sub != TRACKS:
                    continue
                for entry, ebody, estop in _elements(data, sbody, sstop):
                    if entry != TRACK_ENTRY:
                        continue
                    for field, fbody, fstop in _elements(data, ebody, estop):
                        if field == TRACK_TYPE:
                            track_types.add(int.from_bytes(data[fbody:fstop], "big"))
    if doctype != b"webm":
        raise _refuse(f, _("only WebM recordings are accepted of this container format."))
    if 1 in track_types:
        return Sniffed(Kind.VIDEO, "video/webm", "webm")
    if 2 in track_types:
        return Sniffed(Kind.VOICE, "audio/webm", "webm")
    raise _refuse(f, _("the recording is incomplete or holds neither sound nor picture."))


def _sniff_ogg(f: Any) -> Sniffed:
    first_page = _read(f, 0, 512)
    if b"OpusHead" in first_page or b"\x01vorbis" in first_page or b"Speex   " in first_page:
        return Sniffed(Kind.VOICE, "audio/ogg", "ogg")
    raise _refuse(f, _("only Ogg recordings of sound (Opus or Vorbis) are accepted."))


def _is_mpeg_audio(head: bytes) -> str:
    """ "mp3" for an MPEG layer III frame, "aac" for an ADTS frame, "" otherwise."""
    if len(head) < 4 or head[0] != 0xFF or head[1] & 0xE0 != 0xE0:
        return ""
    if head[1] & 0xF6 == 0xF0:  # ADTS: MPEG-4/2 sync, layer 00
        return "aac"
    version, layer = (head[1] >> 3) & 0x3, (head[1] >> 1) & 0x3
    bitrate, rate = head[2] >> 4, (head[2] >> 2) & 0x3
    if version != 1 and layer == 1 and bitrate not in (0, 15) and rate != 3:
        return "mp3"
    return ""


def sniff(f: Any) -> Sniffed:
    """What the file's first bytes (and, for containers, its structure) say it is. Raises Invalid."""
    size = _size(f)
    head = _read(f, 0, HEAD)
    try:
        if head.startswith(b"\xff\xd8\xff"):
            return Sniffed(Kind.PHOTO, "image/jpeg", "jpg")
        if head.startswith(b"\x89PNG\r\n\x1a\n"):
            return Sniffed(Kind.PHOTO, "image/png", "png")
        if head[:6] in (b"GIF87a", b"GIF89a"):
            return Sniffed(Kind.PHOTO, "image/gif", "gif")
        if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
            return Sniffed(Kind.PHOTO, "image/webp", "webp")
        if head[:4] == b"RIFF" and head[8:12] == b"WAVE":
            return Sniffed(Kind.VOICE, "audio/wav", "wav")
        if head[4:8] == b"ftyp" and len(head) >= 12:
            return _sniff_iso(f, head, size)
        if head.startswith(b"#!AMR-WB\n"):
            return Sniffed(Kind.VOICE, "audio/amr-wb", "awb")
        if head.startswith(b"#!AMR\n"):
            return Sniffed(Kind.VOICE, "audio/amr", "amr")
        if head.startswith(b"ID3") or _is_mpeg_audio(head) == "mp3":
            return Sniffed(Kind.VOICE, "audio/mpeg", "mp3")
        if _is_mpeg_audio(head) == "aac":
            return Sniffed(Kind.VOICE, "audio/aac", "aac")
        if head.startswith(b"OggS"):
            return _sniff_ogg(f)
        if head.startswith(b"\x1a\x45\xdf\xa3"):
            return _sniff_webm(f)
    finally:
        f.seek(0)
    raise _refuse(
        f,
        _(
            "this is not a photo (JPEG, PNG, GIF, WebP, HEIC), a voice recording (AMR, MP3, M4A, AAC, WAV, Ogg, "
            "WebM) or a video (MP4, MOV, WebM, 3GP), whatever its name says."
        ),
    )


def _open_image(f: Any, *, full: bool = True) -> Image.Image:
    """The photo, opened and decoded whole by Pillow (a truncated photo fails here). Raises Invalid for a
    broken or oversized picture. Without `full`, a JPEG is decoded at an eighth of its size: as thorough, and
    quicker; other formats are decoded whole all the same. Pillow reads a copy: closing an image may close the
    file it was given, and the upload is read again."""
    f.seek(0)
    data = f.read()
    f.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                if probe.width * probe.height > MAX_PIXELS:
                    raise _refuse(f, _("the picture has too many pixels."))
                probe.verify()  # checks the structure; the image must be opened again to be used
            image = Image.open(io.BytesIO(data))
            if not full and image.format == "JPEG":  # (pillow_heif's draft decodes an embedded thumbnail)
                image.draft(image.mode, (max(1, image.width // 8), max(1, image.height // 8)))
            image.load()
            return image
    except Invalid:
        raise
    except (
        UnidentifiedImageError,
        OSError,
        EOFError,  # a truncated picture; pillow_heif raises it for a HEIC whose image data is corrupt
        RuntimeError,  # pillow_heif: libheif failed
        SyntaxError,
        ValueError,
        Image.DecompressionBombError,
        Warning,
    ):
        raise _refuse(f, _("the picture is damaged or not really a picture.")) from None


def _inspect(f: Any) -> Sniffed:
    found = sniff(f)
    limit = MAX_BYTES[Kind(found.kind)]
    if _size(f) > limit:
        raise _refuse(
            f,
            _("the file is larger than %(mb)d MB, the limit for a %(kind)s.")
            % {"mb": limit // MB, "kind": Kind(found.kind).label.lower()},
        )
    if _size(f) == 0:
        raise _refuse(f, _("the file is empty."))
    if found.kind == Kind.PHOTO and (found.extension != "heic" or HEIF_DECODER):
        _open_image(f, full=False).close()
    return found


def check_upload(f: Any) -> str:
    """The Attachment.Kind of an uploaded file, judged by its content. Raises Invalid(field="file")."""
    return _inspect(f).kind


def check_batch(files: Sequence[Any]) -> list[Sniffed]:
    """Every file checked, and the batch: at most nine photos and one voice recording or video."""
    found = [_inspect(f) for f in files]
    photos = sum(1 for s in found if s.kind == Kind.PHOTO)
    media = len(found) - photos
    if photos > MAX_PHOTOS:
        raise Invalid(_("Attach at most %(count)d photos.") % {"count": MAX_PHOTOS}, field="photos")
    if media > MAX_MEDIA:
        raise Invalid(_("Attach one voice recording or one video, not more."), field="media")
    return found


JPEG = Sniffed(Kind.PHOTO, "image/jpeg", "jpg")


def _without_metadata(f: Any, found: Sniffed) -> tuple[bytes, Sniffed]:
    """The bytes to store and what they are. JPEG, PNG and WebP are saved again in their format, turned
    upright, without EXIF (GPS, camera, time) or text chunks. HEIC/HEIF (iPhone photos) is decoded, turned
    upright, made RGB and saved as a JPEG (quality 90, its ICC profile kept) without EXIF or XMP: browsers
    show JPEG, not HEIC, so what is returned then says JPEG (image/jpeg, .jpg). GIF is kept as it is (it
    carries no EXIF); so is HEIC if the optional decoder pillow_heif is missing (then checked by its
    structure only, and stored with its metadata)."""
    f.seek(0)
    heif = found.extension == "heic" and HEIF_DECODER
    if found.extension not in ("jpg", "png", "webp") and not heif:
        data: bytes = f.read()
        f.seek(0)
        return data, found
    image = _open_image(f)
    try:
        icc = image.info.get("icc_profile")
        out = io.BytesIO()
        if heif:  # its primary image only (a HEIC may hold several: bursts, depth maps, thumbnails)
            upright = ImageOps.exif_transpose(image)
            if upright.mode != "RGB":
                upright = upright.convert("RGB")
            options: dict[str, Any] = {"icc_profile": icc} if icc else {}
            upright.save(out, format="JPEG", quality=90, optimize=True, **options)
            return out.getvalue(), JPEG
        frames = getattr(image, "n_frames", 1)
        if frames > 1:  # animated PNG or WebP: keep the frames, drop the rest
            image.save(out, format=image.format, save_all=True, icc_profile=icc)
        else:
            upright = ImageOps.exif_transpose(image)
            options = {"icc_profile": icc} if icc else {}
            if "transparency" in upright.info and found.extension == "png":
                options["transparency"] = upright.info["transparency"]
            if found.extension == "jpg":
                if upright.mode not in ("RGB", "L", "CMYK"):
                    upright = upright.convert("RGB")
                options.update(quality=90, optimize=True)
                upright.save(out, format="JPEG", **options)
            elif found.extension == "webp":
                upright.save(out, format="WEBP", quality=90, **options)
            else:
                upright.save(out, format="PNG", optimize=True, **options)
        return out.getvalue(), found
    finally:
        image.close()
        f.seek(0)


def save_attachments(
    *, case: Case, files: Sequence[Any], by: User | None, event: CaseEvent | None = None
) -> list[Attachment]:
    """Check the batch (nothing is stored if one file fails), then store each file under a random name with
    its metadata removed. Call inside the transaction that writes the case or event the files belong to;
    if this call fails halfway, the files it stored are removed again."""
    found = check_batch(files)
    saved: list[Attachment] = []
    try:
        for upload, sniffed in zip(files, found, strict=True):
            data, stored = _without_metadata(upload, sniffed)  # a HEIC is stored as a JPEG
            attachment = Attachment(
                case=case,
                event=event,
                kind=stored.kind,
                content_type=stored.content_type,
                size=len(data),
                uploaded_by=by,
            )
            attachment.file.save(f"{uuid.uuid4().hex}.{stored.extension}", ContentFile(data), save=False)
            saved.append(attachment)
            attachment.save()
    except BaseException:
        discard_files(saved)
        raise
    return saved


def discard_files(attachments: Iterable[Attachment]) -> None:
    """Remove stored files whose rows did not survive (the transaction that wrote them rolled back)."""
    for attachment in attachments:
        if attachment.file.name:
            default_storage.delete(attachment.file.name)


# --- Who sees which file.


def attachments_visible_to(user: User, case: Case) -> QuerySet[Attachment]:
    """The case's files `user` may see: staff who reach the case see all; the citizen who asked sees what
    they or the platform attached to public steps, never files of internal steps."""
    qs = Attachment.objects.filter(case=case).order_by("created_at", "pk")
    if user.is_citizen:
        qs = qs.filter(Q(event__isnull=True) | Q(event__public=True))
    return qs


def attachment_for(user: User, pk: int) -> Attachment | None:
    """The attachment if `user` may see it, else None (missing and forbidden look the same)."""
    attachment = Attachment.objects.select_related("case", "event").filter(pk=pk).first()
    if attachment is None or not cases_visible_to(user).filter(pk=attachment.case_id).exists():
        return None
    if user.is_citizen and attachment.event is not None and not attachment.event.public:
        return None
    return attachment


def open_attachment(attachment: Attachment) -> IO[bytes]:
    return attachment.file.open("rb")
