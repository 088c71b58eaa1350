"""suban.cases.attachments: files judged by their content, cleaned of metadata, stored, and shown only to
those who may see the case."""

from __future__ import annotations

import io
import random
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.storage import default_storage
from PIL import Image, ImageCms
from PIL.ExifTags import IFD

from suban.cases import attachments
from suban.cases.attachments import MB, check_upload, save_attachments
from suban.cases.models import Attachment, CaseEvent
from suban.cases.services import case_note
from suban.errors import Invalid
from tests.h5 import media
from tests.h5.media import upload

ACCEPTED = [
    ("p.jpg", media.picture("JPEG"), "photo"),
    ("p.png", media.picture("PNG"), "photo"),
    ("p.gif", media.picture("GIF"), "photo"),
    ("p.webp", media.picture("WEBP"), "photo"),
    ("p.heic", media.heic(), "photo"),
    ("v.amr", media.amr(), "voice"),
    ("v.mp3", media.mp3(), "voice"),
    ("v2.mp3", media.raw_mp3(), "voice"),
    ("v.aac", media.adts_aac(), "voice"),
    ("v.m4a", media.iso_media(b"M4A ", b"soun"), "voice"),
    ("v.wav", media.wav(), "voice"),
    ("v.ogg", media.ogg_opus(), "voice"),
    ("v.webm", media.webm(2), "voice"),
    ("m.mp4", media.iso_media(b"isom", b"vide", b"soun"), "video"),
    ("m2.mp4", media.iso_media(b"mp42", b"soun", b"vide", moov_last=True), "video"),
    ("m.mov", media.iso_media(b"qt  ", b"vide", compatible=(b"qt  ",)), "video"),
    ("m.3gp", media.iso_media(b"3gp4", b"vide", compatible=(b"3gp4",)), "video"),
    ("m.webm", media.webm(1, 2), "video"),
]


@pytest.mark.parametrize(("name", "data", "kind"), ACCEPTED, ids=[a[0] for a in ACCEPTED])
def test_it_knows_each_format_by_its_content(name, data, kind):
    assert check_upload(upload(name, data)) == kind


@pytest.mark.parametrize(("name", "data", "kind"), ACCEPTED[:6], ids=[a[0] for a in ACCEPTED[:6]])
def test_the_file_name_does_not_matter(name, data, kind):
    assert check_upload(upload("whatever.txt", data)) == kind


REFUSED = [
    ("text.jpg", "这不是照片，只是一段文字。".encode()),
    ("truncated.jpg", media.picture("JPEG")[:40]),
    ("script.png", b"<script>alert(1)</script>"),
    ("empty.jpg", b""),
    ("document.pdf", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"),
    ("video.ogv", media.ogg_theora()),
    ("movie.mkv", media.webm(1, doctype=b"matroska")),
    ("nothing.mp4", media.iso_media(b"isom")),
    ("photo.avif", media.ftyp(b"avif", b"mif1") + media.box(b"meta")),
]


@pytest.mark.parametrize(("name", "data"), REFUSED, ids=[r[0] for r in REFUSED])
def test_it_refuses_what_is_not_a_photo_recording_or_video(name, data):
    with pytest.raises(Invalid) as refused:
        check_upload(upload(name, data))
    assert name in refused.value.message


def test_it_refuses_files_over_the_limit_of_their_kind():
    big_photo = upload("big.jpg", media.picture("JPEG") + b"\x00" * (10 * MB))
    with pytest.raises(Invalid, match="10"):
        check_upload(big_photo)
    video = upload("clip.mp4", media.iso_media(b"isom", b"vide"))
    video.size = 49 * MB  # what the upload handler reports; the content is not read for the size
    assert check_upload(video) == "video"
    video.size = 51 * MB
    with pytest.raises(Invalid, match="50"):
        check_upload(video)


def test_it_refuses_a_decompression_bomb():
    bomb = upload("bomb.png", media.picture("PNG", size=(10000, 6000)))
    with pytest.raises(Invalid):
        check_upload(bomb)


def _gps_exif() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    exif[0x0112] = 6  # rotated: the stored photo must come out upright
    exif.get_ifd(IFD.GPSInfo)[2] = (36.0, 5.0, 30.0)
    return exif.tobytes()


def test_stored_photos_lose_their_exif_and_stand_upright(submitted, cast):
    photo = upload("gps.jpg", media.picture("JPEG", size=(40, 30), exif=_gps_exif()))
    assert b"PhoneMaker" in photo.read()
    photo.seek(0)
    [saved] = save_attachments(case=submitted, files=[photo], by=cast.cindy)
    data = default_storage.open(saved.file.name).read()
    assert b"PhoneMaker" not in data and b"Exif" not in data
    stored = Image.open(default_storage.open(saved.file.name))
    assert stored.size == (30, 40)
    assert saved.kind == "photo" and saved.content_type == "image/jpeg" and saved.size == len(data)
    assert saved.file.name.endswith(".jpg") and "gps" not in saved.file.name


def _quadrants(size: tuple[int, int]) -> Image.Image:
    """Four coloured quarters, so that a turned picture can be told from an upright one."""
    image = Image.new("RGB", size, (30, 120, 200))
    w, h = size
    image.paste((220, 30, 30), (0, 0, w // 2, h // 2))  # top left: red
    image.paste((30, 200, 30), (w // 2, h // 2, w, h))  # bottom right: green
    return image


def _near(pixel, colour, tolerance=40):
    return all(abs(a - b) <= tolerance for a, b in zip(pixel, colour, strict=True))


def test_a_heic_photo_is_stored_as_an_upright_jpeg_without_exif(submitted, cast):
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    out = io.BytesIO()
    attachments.pillow_heif.register_heif_opener()
    _quadrants((64, 48)).save(out, format="HEIF", exif=_gps_exif(), icc_profile=srgb)
    heic = out.getvalue()
    assert heic[4:12] == b"ftypheic" and b"PhoneMaker" in heic
    assert Image.open(io.BytesIO(heic)).getexif().get_ifd(IFD.GPSInfo)  # the HEIC carries GPS
    [saved] = save_attachments(case=submitted, files=[upload("IMG_0001.HEIC", heic)], by=cast.cindy)
    data = default_storage.open(saved.file.name).read()
    assert data.startswith(b"\xff\xd8\xff")
    assert b"PhoneMaker" not in data and b"Exif" not in data and b"http://ns.adobe.com/xap/" not in data
    stored = Image.open(io.BytesIO(data))
    assert stored.format == "JPEG" and stored.mode == "RGB"
    assert not stored.getexif() and "exif" not in stored.info and "xmp" not in stored.info
    assert stored.info.get("icc_profile") == srgb
    # Orientation 6: the 64x48 picture stands upright as 48x64, its top left (red) now at the top right.
    assert stored.size == (48, 64)
    assert _near(stored.getpixel((36, 12)), (220, 30, 30))
    assert _near(stored.getpixel((12, 52)), (30, 200, 30))
    assert _near(stored.getpixel((12, 12)), (30, 120, 200))
    assert saved.kind == "photo" and saved.content_type == "image/jpeg" and saved.size == len(data)
    assert saved.file.name.endswith(".jpg") and "IMG_0001" not in saved.file.name


def _heic_with_corrupt_picture() -> bytes:
    """A HEIC whose boxes are sound but whose coded picture (the mdat box) is noise."""
    heic = bytearray(media.heic(size=(64, 48)))
    mdat = heic.find(b"mdat") + 4
    noise = random.Random(7)
    heic[mdat:] = bytes(noise.randrange(256) for _ in range(len(heic) - mdat))
    return bytes(heic)


CORRUPT_HEIC = [
    ("header.heic", media.heic()[:32] + bytes(range(256)) * 4),  # a real ftyp box, then garbage
    ("boxes.heic", media.heic_structure()),
    ("noise.heic", _heic_with_corrupt_picture()),
    ("cut.heic", media.heic(size=(64, 48))[:-40]),
]


@pytest.mark.parametrize(("name", "data"), CORRUPT_HEIC, ids=[c[0] for c in CORRUPT_HEIC])
def test_a_heic_that_cannot_be_decoded_is_refused_and_nothing_is_stored(submitted, cast, name, data):
    assert data[4:12] == b"ftypheic"
    files = [upload("fine.jpg", media.picture("JPEG")), upload(name, data)]
    with pytest.raises(Invalid) as refused:
        save_attachments(case=submitted, files=files, by=cast.cindy)
    assert name in refused.value.message and refused.value.field == "file"
    assert not Attachment.objects.exists()
    assert not [p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()]


def test_without_the_decoder_a_heic_is_checked_by_its_structure_and_kept(submitted, cast, monkeypatch):
    monkeypatch.setattr(attachments, "HEIF_DECODER", False)
    [saved] = save_attachments(case=submitted, files=[upload("p.heic", media.heic_structure())], by=cast.cindy)
    assert saved.content_type == "image/heic" and saved.file.name.endswith(".heic")
    assert default_storage.open(saved.file.name).read() == media.heic_structure()


def test_a_batch_with_one_bad_file_stores_nothing(submitted, cast):
    files = [upload("a.jpg", media.picture("JPEG")), upload("b.jpg", b"not a picture at all")]
    with pytest.raises(Invalid):
        save_attachments(case=submitted, files=files, by=cast.cindy)
    assert not Attachment.objects.exists()


def test_a_batch_holds_nine_photos_and_one_recording(submitted, cast):
    ten = [upload(f"{i}.png", media.picture("PNG")) for i in range(10)]
    with pytest.raises(Invalid) as refused:
        save_attachments(case=submitted, files=ten, by=cast.cindy)
    assert refused.value.field == "photos"
    two = [upload("a.mp3", media.mp3()), upload("b.mp4", media.iso_media(b"isom", b"vide"))]
    with pytest.raises(Invalid) as refused:
        save_attachments(case=submitted, files=two, by=cast.cindy)
    assert refused.value.field == "media"
    nine_and_one = [upload(f"{i}.png", media.picture("PNG")) for i in range(9)] + [upload("v.amr", media.amr())]
    assert len(save_attachments(case=submitted, files=nine_and_one, by=cast.cindy)) == 10


def test_files_of_internal_steps_are_kept_from_the_citizen(dispatched, cast, as_citizen, login):
    case_note(case=dispatched, by=cast.carol, note="内部：联系物业")
    private = CaseEvent.objects.get(case=dispatched, action="note")
    [inside] = save_attachments(
        case=dispatched, files=[upload("i.png", media.picture("PNG"))], by=cast.carol, event=private
    )
    [mine] = save_attachments(case=dispatched, files=[upload("m.png", media.picture("PNG"))], by=cast.cindy)
    cindy = as_citizen(cast.cindy)
    assert cindy.get(f"/h5/files/{mine.pk}/").status_code == 200
    assert cindy.get(f"/h5/files/{inside.pk}/").status_code == 404
    carol = login(cast.carol)
    assert carol.get(f"/h5/files/{inside.pk}/").status_code == 200
