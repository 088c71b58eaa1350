"""Tiny but structurally real files of every accepted format, built byte by byte (no fixtures on disk)."""

from __future__ import annotations

import io
import struct
import wave

import pillow_heif
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image


def upload(name: str, data: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def picture(fmt: str, size: tuple[int, int] = (8, 6), **options: object) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (30, 120, 200)).save(out, fmt, **options)
    return out.getvalue()


# --- ISO base media


def box(kind: bytes, payload: bytes = b"") -> bytes:
    return struct.pack(">I", 8 + len(payload)) + kind + payload


def ftyp(major: bytes, *compatible: bytes) -> bytes:
    return box(b"ftyp", major + b"\x00\x00\x02\x00" + b"".join(compatible))


def track(handler: bytes) -> bytes:
    hdlr = box(b"hdlr", b"\x00\x00\x00\x00" + b"\x00\x00\x00\x00" + handler + b"\x00" * 12 + b"\x00")
    return box(b"trak", box(b"tkhd", b"\x00" * 84) + box(b"mdia", box(b"mdhd", b"\x00" * 24) + hdlr))


def iso_media(
    major: bytes, *handlers: bytes, compatible: tuple[bytes, ...] = (b"isom",), moov_last: bool = False
) -> bytes:
    moov = box(b"moov", box(b"mvhd", b"\x00" * 100) + b"".join(track(h) for h in handlers))
    mdat = box(b"mdat", b"\x00" * 64)
    head = ftyp(major, *compatible)
    return head + (mdat + moov if moov_last else moov + mdat)


def heic(size: tuple[int, int] = (8, 6), **options: object) -> bytes:
    """A real HEIC photo, encoded by pillow_heif (which Pillow then also opens)."""
    pillow_heif.register_heif_opener()
    return picture("HEIF", size, **options)


def heic_structure() -> bytes:
    """Only the boxes of a HEIC, no picture: the structure check passes, the decoder fails."""
    return ftyp(b"heic", b"mif1", b"heic") + box(b"meta", b"\x00\x00\x00\x00" + box(b"hdlr", b"\x00" * 8 + b"pict"))


# --- EBML (WebM)


def element(ident: bytes, payload: bytes) -> bytes:
    assert len(payload) < 127
    return ident + bytes([0x80 | len(payload)]) + payload


def webm(*track_types: int, doctype: bytes = b"webm") -> bytes:
    header = element(b"\x1a\x45\xdf\xa3", element(b"\x42\x86", b"\x01") + element(b"\x42\x82", doctype))
    entries = b"".join(element(b"\xae", element(b"\xd7", b"\x01") + element(b"\x83", bytes([t]))) for t in track_types)
    tracks = element(b"\x16\x54\xae\x6b", entries)
    info = element(b"\x15\x49\xa9\x66", element(b"\x2a\xd7\xb1", b"\x0f\x42\x40"))
    cluster = b"\x1f\x43\xb6\x75\x01\xff\xff\xff\xff\xff\xff\xff" + element(b"\xe7", b"\x00")
    # The segment's size is "unknown", as MediaRecorder writes it.
    segment = b"\x18\x53\x80\x67\x01\xff\xff\xff\xff\xff\xff\xff" + info + tracks + cluster
    return header + segment


# --- Plain audio


def wav() -> bytes:
    out = io.BytesIO()
    with wave.open(out, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(8000)
        w.writeframes(b"\x00\x00" * 800)
    return out.getvalue()


def mp3() -> bytes:
    frame = b"\xff\xfb\x90\x64" + b"\x00" * 413
    return b"ID3\x04\x00\x00\x00\x00\x00\x00" + frame * 3


def raw_mp3() -> bytes:
    return (b"\xff\xfb\x90\x64" + b"\x00" * 413) * 3


def adts_aac() -> bytes:
    return (b"\xff\xf1\x50\x80\x02\x1f\xfc" + b"\x00" * 9) * 3


def amr() -> bytes:
    return b"#!AMR\n" + b"\x3c" + b"\x00" * 31


def ogg_opus() -> bytes:
    page = b"OggS\x00\x02" + b"\x00" * 20 + b"\x01\x13" + b"OpusHead\x01\x01\x38\x01\x80\xbb\x00\x00\x00\x00\x00"
    return page + b"OggS" + b"\x00" * 60


def ogg_theora() -> bytes:
    return b"OggS\x00\x02" + b"\x00" * 20 + b"\x01\x2a" + b"\x80theora" + b"\x00" * 40
