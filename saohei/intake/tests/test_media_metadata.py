"""Audio and video reach storage without their identifying metadata, their media bytes and offsets intact.

The files are built here, small but structurally real: MP4/MOV/M4A box trees with `udta`, `©xyz`,
Apple `meta` keys, XMP and a GPS telemetry track; MP3 with ID3v2, APEv2 and ID3v1; WAV with LIST/INFO;
Ogg Vorbis and Opus with comments across several pages; WebM with Tags, Info and a CRC-32.
"""

from __future__ import annotations

import hashlib
import io
import shutil
import struct
import subprocess
import time
import wave
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import translation

from saohei.clues.services import report_receive
from saohei.intake.attachments import attachment_path, attachment_store
from saohei.intake.media_metadata import MediaRefused, _void_header, media_strip, ogg_crc
from saohei.intake.models import Attachment
from saohei.portal.tests import files
from saohei.portal.tests.conftest import form_data, open_form, receipt_in

pytestmark = pytest.mark.django_db

# What a reporter's phone or camera writes into a file, and that must never reach storage.
SECRETS = [b"+30.5872", b"+114.2734", b"SpyCam", b"iPhone 15", b"Model X", b"2024-03-01", b"secret title",
           b"Wang"]


@pytest.fixture(autouse=True)
def _english() -> Any:
    with translation.override("en"):
        yield


@pytest.fixture
def report(org: Any) -> Any:
    report, _clue, _code = report_receive(
        office=org.offices["jianghan"], jurisdiction=org.places["jianghan"], channel="portal",
        subject="测试", content="测试内容", actor=None, check_permission=False,
    )
    return report


def store(report: Any, name: str, data: bytes) -> tuple[Attachment, bytes]:
    attachment = attachment_store(report=report, upload=files.upload(name, data, "application/octet-stream"))
    stored = attachment_path(attachment).read_bytes()
    assert attachment.metadata_removed and attachment.size == len(stored)
    assert attachment.sha256 == hashlib.sha256(stored).hexdigest()
    return attachment, stored


def assert_no_secrets(original: bytes, stored: bytes) -> None:
    present = [s for s in SECRETS if s in original]
    assert len(present) >= 3, "the test file must carry metadata"
    assert [s for s in SECRETS if s in stored] == []


# --- ISO BMFF ---------------------------------------------------------------------------------------

T0 = 3_800_000_000  # seconds since 1904: March 2024
MATRIX = struct.pack(">9I", 0x10000, 0, 0, 0, 0x10000, 0, 0, 0, 0x40000000)
FRAME = b"\x00\x00\x00\x14\x65\x88\x84" + bytes(range(40, 57))
TELEMETRY = [b"DEVCGPS5 +30.5872 +114.2734", b"DEVCCAMESpyCam Model X"]
AUDIO = b"\x21\x10\x05\x20" + b"\xa4\x1b" * 20


def box(kind: bytes, *parts: bytes) -> bytes:
    payload = b"".join(parts)
    return struct.pack(">I", 8 + len(payload)) + kind + payload


def full(kind: bytes, *parts: bytes, version: int = 0) -> bytes:
    return box(kind, bytes([version, 0, 0, 0]), *parts)


def trak(track: int, handler: bytes, name: bytes, offsets: list[int], sizes: list[int],
         runs: list[tuple[int, int]], *, co64: bool, extra: bytes = b"") -> bytes:
    tkhd = full(b"tkhd", struct.pack(">IIIII", T0, T0 + 1, track, 0, 1000), bytes(8),
                struct.pack(">hhhH", 0, 0, 0x100, 0), MATRIX, struct.pack(">II", 0, 0))
    mdhd = full(b"mdhd", struct.pack(">QQIQHH", T0, T0 + 1, 1000, 1000, 0x55C4, 0), version=1)
    hdlr = full(b"hdlr", struct.pack(">I4s", 0, handler), bytes(12), name + b"\0")
    stsc = full(b"stsc", struct.pack(">I", len(runs)), *(struct.pack(">III", first, n, 1) for first, n in runs))
    stsz = full(b"stsz", struct.pack(">II", 0, len(sizes)), *(struct.pack(">I", s) for s in sizes))
    chunks = (full(b"co64", struct.pack(">I", len(offsets)), *(struct.pack(">Q", o) for o in offsets)) if co64
              else full(b"stco", struct.pack(">I", len(offsets)), *(struct.pack(">I", o) for o in offsets)))
    stbl = box(b"stbl", full(b"stsd", struct.pack(">I", 0)), full(b"stts", struct.pack(">I", 0)), stsc, stsz, chunks)
    dinf = box(b"dinf", full(b"dref", struct.pack(">I", 1), box(b"url ", b"\0\0\0\1")))
    minf = box(b"minf", full(b"vmhd", bytes(8)), dinf, stbl)
    return box(b"trak", tkhd, box(b"mdia", mdhd, hdlr, minf), extra)


def apple_meta() -> bytes:
    """iPhone's QuickTime metadata: keys and values in moov/meta."""
    keys = [b"com.apple.quicktime.location.ISO6709", b"com.apple.quicktime.make", b"com.apple.quicktime.model",
            b"com.apple.quicktime.creationdate"]
    values = [b"+30.5872+114.2734+012.000/", b"Apple", b"iPhone 15 Pro", b"2024-03-01T21:14:03+0800"]
    key_boxes = b"".join(box(b"mdta", key) for key in keys)
    items = b"".join(box(struct.pack(">I", i + 1), box(b"data", struct.pack(">II", 1, 0), value))
                     for i, value in enumerate(values))
    return box(b"meta", full(b"hdlr", struct.pack(">I4s", 0, b"mdta"), bytes(13)),
               full(b"keys", struct.pack(">I", len(keys)), key_boxes), box(b"ilst", items))


@dataclass
class Movie:
    data: bytes
    frame_at: int
    telemetry_at: int
    audio_at: int
    mdat: tuple[int, int]


def movie(brand: bytes = b"isom", *, large: bool = False) -> Movie:
    """ftyp, a stale `free`, XMP, mdat (video frame, GPS telemetry, audio), then moov."""
    ftyp = box(b"ftyp", brand, struct.pack(">I", 0x200), brand, b"" if brand == b"qt  " else b"mp41")
    stale = box(b"free", b"old udta: (c)xyz +30.5872+114.2734 SpyCam")
    xmp = box(b"uuid", bytes.fromhex("be7acfcb97a942e89c71999491e3afac"),
              b'<x:xmpmeta><xmp:CreatorTool>SpyCam Model X</xmp:CreatorTool></x:xmpmeta>') + box(
        b"sefd", b"vendor box at the top: SpyCam serial 0042")
    payload = FRAME + b"".join(TELEMETRY) + AUDIO
    mdat = (struct.pack(">I4sQ", 1, b"mdat", 16 + len(payload)) if large
            else struct.pack(">I4s", 8 + len(payload), b"mdat")) + payload
    frame_at = len(ftyp + stale + xmp) + (16 if large else 8)
    telemetry_at = frame_at + len(FRAME)
    audio_at = telemetry_at + sum(map(len, TELEMETRY))
    mvhd = full(b"mvhd", struct.pack(">IIII", T0, T0 + 1, 1000, 1000), struct.pack(">IH", 0x10000, 0x100),
                bytes(10), MATRIX, bytes(24), struct.pack(">I", 4))
    udta = box(b"udta", box(b"\xa9xyz", struct.pack(">HH", 18, 0x15C7), b"+30.5872+114.2734/"),
               box(b"\xa9mak", struct.pack(">HH", 6, 0), b"SpyCam"), box(b"\xa9mod", struct.pack(">HH", 7, 0),
                                                                            b"Model X"),
               box(b"\xa9day", struct.pack(">HH", 10, 0), b"2024-03-01"))
    moov = box(b"moov", mvhd,
               trak(1, b"vide", b"SpyCam AVC", [frame_at], [len(FRAME)], [(1, 1)], co64=large),
               trak(2, b"meta", b"SpyCam MET", [telemetry_at], [len(t) for t in TELEMETRY], [(1, 2)], co64=large),
               trak(3, b"soun", b"SoundHandler", [audio_at], [len(AUDIO)], [(1, 1)], co64=large,
                    extra=box(b"udta", box(b"\xa9nam", b"Wang's recorder"))),
               udta, apple_meta())
    data = ftyp + stale + xmp + mdat + moov
    start = len(ftyp + stale + xmp)
    return Movie(data, frame_at, telemetry_at, audio_at, (start, start + len(mdat)))


def iso_boxes(data: bytes, start: int = 0, end: int | None = None) -> list[tuple[bytes, int, int]]:
    """(type, body, end) of each box: an independent reader for the assertions."""
    end = len(data) if end is None else end
    found, pos = [], start
    while pos < end:
        size, kind = struct.unpack_from(">I4s", data, pos)
        head = 8
        if size == 1:
            size, head = struct.unpack_from(">Q", data, pos + 8)[0], 16
        found.append((kind, pos + head, pos + size))
        pos += size
    assert pos == end
    return found


def iso_child(data: bytes, path: list[bytes], nth: int = 0) -> tuple[int, int]:
    start, end = 0, len(data)
    for depth, kind in enumerate(path):
        matches = [(b, e) for k, b, e in iso_boxes(data, start, end) if k == kind]
        start, end = matches[nth if depth == 1 else 0]
    return start, end


@pytest.mark.parametrize(("name", "brand", "large", "mime"), [
    ("clip.mp4", b"isom", False, "video/mp4"),
    ("IMG_0001.MOV", b"qt  ", True, "video/quicktime"),
    ("memo.m4a", b"M4A ", False, "audio/mp4"),
])
def test_mp4_mov_and_m4a_lose_location_device_and_dates_but_keep_every_media_byte_and_offset(
        report: Any, name: str, brand: bytes, large: bool, mime: str) -> None:
    built = movie(brand, large=large)
    original = built.data
    attachment, stored = store(report, name, original)
    assert attachment.content_type == mime
    assert_no_secrets(original, stored)
    assert b"com.apple.quicktime.location.ISO6709" not in stored and b"xmpmeta" not in stored
    assert len(stored) == len(original)
    # The media: the frame and the audio are where they were, byte for byte; the telemetry is zeros.
    assert stored[built.frame_at:built.frame_at + len(FRAME)] == FRAME
    assert stored[built.audio_at:built.audio_at + len(AUDIO)] == AUDIO
    assert stored[built.telemetry_at:built.audio_at] == bytes(built.audio_at - built.telemetry_at)
    mdat_start, mdat_end = built.mdat
    assert stored[mdat_start:built.telemetry_at] == original[mdat_start:built.telemetry_at]
    assert stored[built.audio_at:mdat_end] == original[built.audio_at:mdat_end]
    # The structure: the same boxes, metadata become `free`, and the chunk offsets still point at the frame.
    assert [k for k, _b, _e in iso_boxes(stored)] == [b"ftyp", b"free", b"free", b"free", b"mdat", b"moov"]
    moov = iso_child(stored, [b"moov"])
    assert [k for k, _b, _e in iso_boxes(stored, *moov)] == [b"mvhd", b"trak", b"trak", b"trak", b"free", b"free"]
    assert [k for k, _b, _e in iso_boxes(stored, *iso_child(stored, [b"moov", b"trak"], 2))] == [
        b"tkhd", b"mdia", b"free"]
    table = b"co64" if large else b"stco"
    start, _end = iso_child(stored, [b"moov", b"trak", b"mdia", b"minf", b"stbl", table])
    offset = struct.unpack_from(">Q" if large else ">I", stored, start + 8)[0]
    assert offset == built.frame_at and stored[offset:offset + len(FRAME)] == FRAME
    mvhd, _end = iso_child(stored, [b"moov", b"mvhd"])
    assert stored[mvhd + 4:mvhd + 12] == bytes(8) and stored[mvhd + 12:mvhd + 16] == struct.pack(">I", 1000)
    mdhd, _end = iso_child(stored, [b"moov", b"trak", b"mdia", b"mdhd"])
    assert stored[mdhd + 4:mdhd + 20] == bytes(16)


def test_a_free_box_that_media_points_into_is_left_alone(tmp_path: Path) -> None:
    """Zeroing `free` boxes is for stale metadata; a chunk that starts inside one is media."""
    ftyp = box(b"ftyp", b"isom", bytes(4), b"isom")
    free = box(b"free", FRAME)
    moov = box(b"moov", trak(1, b"vide", b"", [len(ftyp) + 8], [len(FRAME)], [(1, 1)], co64=False))
    path = tmp_path / "a.mp4"
    path.write_bytes(ftyp + free + moov)
    media_strip(path, "video/mp4")
    assert path.read_bytes()[len(ftyp):len(ftyp) + len(free)] == free


# --- MP3 --------------------------------------------------------------------------------------------

MP3_FRAMES = b"".join(b"\xff\xfb\x90\x64" + bytes([i]) * 413 for i in range(1, 4))  # 128 kbit/s, 44.1 kHz


def syncsafe(n: int) -> bytes:
    return bytes([(n >> 21) & 0x7F, (n >> 14) & 0x7F, (n >> 7) & 0x7F, n & 0x7F])


def id3v2(*, version: int = 3, footer: bool = False) -> bytes:
    frames = b"".join(fid + struct.pack(">I", len(text) + 1) + b"\0\0\0" + text for fid, text in [
        (b"TIT2", b"secret title"), (b"TPE1", b"SpyCam"), (b"TXXX", b"GPS\0+30.5872,+114.2734"),
        (b"TDRC", b"2024-03-01")])
    body = frames + bytes(64)  # padding
    flags = 0x10 if footer else 0
    tag = b"ID3" + bytes([version, 0, flags]) + syncsafe(len(body)) + body
    return tag + (b"3DI" + bytes([version, 0, flags]) + syncsafe(len(body)) if footer else b"")


def apev2() -> bytes:
    items = struct.pack("<II", 13, 0) + b"Artist\0" + b"Wang, SpyCam"[:13].ljust(13)
    size = len(items) + 32
    header = b"APETAGEX" + struct.pack("<IIII", 2000, size, 1, 0xA0000000) + bytes(8)
    return header + items + b"APETAGEX" + struct.pack("<IIII", 2000, size, 1, 0x80000000) + bytes(8)


def id3v1() -> bytes:
    return (b"TAG" + b"secret title".ljust(30, b"\0") + b"SpyCam".ljust(30, b"\0") + bytes(30) + b"2024"
            + b"iPhone 15".ljust(30, b"\0") + b"\x0c")


@pytest.mark.parametrize("variant", ["v2.3+ape+v1", "v2.4-footer+appended-v2+lyrics3+v1"])
def test_mp3_tags_are_cut_and_the_frames_kept(report: Any, variant: str) -> None:
    if variant == "v2.3+ape+v1":
        original = id3v2() + MP3_FRAMES + apev2() + id3v1()
    else:
        lyrics = b"LYRICSBEGIN" + b"IND00002" + b"10" + b"AUT00006SpyCam"
        lyrics += b"%06d" % len(lyrics) + b"LYRICS200"
        original = id3v2(version=4, footer=True) + MP3_FRAMES + id3v2(version=4, footer=True) + lyrics + id3v1()
    attachment, stored = store(report, "录音.mp3", original)
    assert attachment.content_type == "audio/mpeg" and attachment.kind == "audio"
    assert_no_secrets(original, stored)
    assert stored == MP3_FRAMES


# --- WAV --------------------------------------------------------------------------------------------

SAMPLES = bytes(range(256)) * 8


def riff_chunk(kind: bytes, payload: bytes) -> bytes:
    return kind + struct.pack("<I", len(payload)) + payload + (b"\0" if len(payload) % 2 else b"")


def wav() -> bytes:
    info = riff_chunk(b"LIST", b"INFO" + riff_chunk(b"INAM", b"secret title\0") + riff_chunk(b"IART", b"SpyCam\0")
                      + riff_chunk(b"ICRD", b"2024-03-01\0"))
    body = (b"WAVE" + riff_chunk(b"fmt ", struct.pack("<HHIIHH", 1, 1, 8000, 16000, 2, 16)) + info
            + riff_chunk(b"bext", b"iPhone 15 voice memo".ljust(602, b"\0")) + riff_chunk(b"data", SAMPLES)
            + riff_chunk(b"id3 ", id3v2()) + riff_chunk(b"iXML", b"<BWFXML><NOTE>Wang</NOTE></BWFXML>"))
    return b"RIFF" + struct.pack("<I", len(body)) + body


def test_wav_metadata_chunks_become_junk_and_the_samples_stay(report: Any) -> None:
    original = wav()
    attachment, stored = store(report, "call.wav", original)
    assert attachment.content_type == "audio/x-wav"
    assert_no_secrets(original, stored)
    assert len(stored) == len(original)
    at = original.index(b"data")
    assert stored[at:at + 8 + len(SAMPLES)] == original[at:at + 8 + len(SAMPLES)]
    kinds, pos = [], 12
    while pos < len(stored):
        kinds.append(stored[pos:pos + 4])
        pos += 8 + struct.unpack_from("<I", stored, pos + 4)[0]
    assert kinds == [b"fmt ", b"JUNK", b"JUNK", b"data", b"JUNK", b"JUNK"]
    with wave.open(io.BytesIO(stored)) as clean:
        assert clean.getframerate() == 8000 and clean.readframes(clean.getnframes()) == SAMPLES


# --- Ogg --------------------------------------------------------------------------------------------

def crc_reference(data: bytes) -> int:
    """Ogg's CRC bit by bit, straight from the specification."""
    crc = 0
    for byte in data:
        crc ^= byte << 24
        for _bit in range(8):
            crc = ((crc << 1) ^ 0x04C11DB7 if crc & 0x80000000 else crc << 1) & 0xFFFFFFFF
    return crc


def ogg_page(serial: int, seq: int, flags: int, lacing: list[int], body: bytes) -> bytes:
    page = bytearray(b"OggS\0" + bytes([flags]) + struct.pack("<qII", 0, serial, seq) + bytes(4)
                     + bytes([len(lacing)]) + bytes(lacing) + body)
    page[22:26] = struct.pack("<I", crc_reference(bytes(page)))
    return bytes(page)


def ogg_stream(serial: int, packets: list[bytes], per_page: int = 4) -> bytes:
    """The first packet alone on the first page, the others laced `per_page` segments a page."""
    pages = [ogg_page(serial, 0, 2, [len(packets[0])], packets[0])]
    segments: list[tuple[bytes, bool]] = []  # a segment, and whether it starts its packet
    for packet in packets[1:]:
        pieces = [packet[i:i + 255] for i in range(0, len(packet), 255)]
        if len(packet) % 255 == 0:
            pieces.append(b"")
        segments += [(piece, i == 0) for i, piece in enumerate(pieces)]
    for first in range(0, len(segments), per_page):
        group = segments[first:first + per_page]
        flags = (0 if group[0][1] else 1) | (4 if first + per_page >= len(segments) else 0)
        pages.append(ogg_page(serial, len(pages), flags, [len(s) for s, _s in group], b"".join(s for s, _s in group)))
    return b"".join(pages)


def comments(vendor: bytes, items: list[bytes], framing: bytes) -> bytes:
    return (struct.pack("<I", len(vendor)) + vendor + struct.pack("<I", len(items))
            + b"".join(struct.pack("<I", len(c)) + c for c in items) + framing)


OGG_COMMENTS = [b"TITLE=secret title", b"ARTIST=SpyCam", b"LOCATION=+30.5872+114.2734", b"DATE=2024-03-01",
                b"METADATA_BLOCK_PICTURE=" + b"QUJD" * 300, b"X"]
VORBIS = [b"\x01vorbis" + struct.pack("<IBIiiiBB", 0, 1, 8000, 0, 0, 0, 0xB8, 1),
          b"\x03vorbis" + comments(b"Lavf60 iPhone 15", OGG_COMMENTS, b"\x01"),
          b"\x05vorbis" + b"setup" * 20, *(b"vorbis-audio-%d" % i * 30 for i in range(5))]
OPUS = [b"OpusHead" + struct.pack("<BBHIhB", 1, 1, 312, 48000, 0, 0),
        b"OpusTags" + comments(b"libopus SpyCam build", OGG_COMMENTS[:4], b""),
        *(b"\xf8\xff\xfe" * (i + 1) for i in range(5))]


SPEEX = [b"Speex   " + b"1.2.1".ljust(20, b"\0") + struct.pack("<11i", 1, 80, 8000, 0, 4, 1, -1, 160, 0, 0, 0),
         comments(b"Encoded with Speex 1.2.1", OGG_COMMENTS[:4], b""), *(b"\x1f" * (20 + i) for i in range(3))]


def ogg_packets(data: bytes) -> list[tuple[int, bytes]]:
    """(serial, packet) in order, each page's CRC checked."""
    packets, pending, pos = [], {}, 0
    while pos < len(data):
        assert data[pos:pos + 4] == b"OggS"
        serial, count = struct.unpack_from("<I", data, pos + 14)[0], data[pos + 26]
        lacing = data[pos + 27:pos + 27 + count]
        end = pos + 27 + count + sum(lacing)
        page = bytearray(data[pos:end])
        page[22:26] = bytes(4)
        assert struct.unpack_from("<I", data, pos + 22)[0] == crc_reference(bytes(page)), f"bad CRC at {pos}"
        at = pos + 27 + count
        for value in lacing:
            pending[serial] = pending.get(serial, b"") + data[at:at + value]
            at += value
            if value < 255:
                packets.append((serial, pending.pop(serial)))
        pos = end
    return packets


@pytest.mark.parametrize("variant", ["vorbis", "opus", "speex", "chained"])
def test_ogg_comments_are_blanked_in_place_with_valid_crcs(report: Any, variant: str) -> None:
    streams = {"vorbis": [(7, VORBIS)], "opus": [(9, OPUS)], "speex": [(4, SPEEX)],
               "chained": [(9, OPUS), (7, VORBIS)]}[variant]
    original = b"".join(ogg_stream(serial, packets) for serial, packets in streams)
    attachment, stored = store(report, "voice.ogg", original)
    assert attachment.content_type == "audio/ogg"
    assert_no_secrets(original, stored)
    assert b"iPhone" not in stored and b"QUJD" not in stored and len(stored) == len(original)
    before, after = ogg_packets(original), ogg_packets(stored)  # every CRC valid
    assert len(before) == len(after)
    comment_packets = {p for _s, p in before if p.startswith((b"\x03vorbis", b"OpusTags"))} | {SPEEX[1]}
    for (serial, old), (_serial, new) in zip(before, after, strict=True):
        if old not in comment_packets:
            assert new == old, "media packets are untouched"
            continue
        magic = 7 if old.startswith(b"\x03vorbis") else 8 if old.startswith(b"OpusTags") else 0
        assert len(new) == len(old) and new[:magic] == old[:magic]
        vendor = struct.unpack_from("<I", new, magic)[0]
        assert new[magic + 4:magic + 4 + vendor] == b" " * vendor
        pos = magic + 4 + vendor
        count = struct.unpack_from("<I", new, pos)[0]
        pos += 4
        items = []
        for _item in range(count):
            length = struct.unpack_from("<I", new, pos)[0]
            items.append(new[pos + 4:pos + 4 + length])
            pos += 4 + length
        expected = OGG_COMMENTS if magic == 7 else OGG_COMMENTS[:4]
        assert [len(i) for i in items] == [len(c) for c in expected]
        assert all(i == b"=" or (i.startswith(b"X=") and not i[2:].strip()) for i in items)
        assert new[pos:] == (b"\x01" if magic == 7 else b""), f"stream {serial}: framing bit kept"


def test_a_wav_recorded_without_a_final_data_size_is_cleaned(report: Any) -> None:
    """Recorders that stream write 0xFFFFFFFF as the data size: the samples run to the end."""
    body = (b"WAVE" + riff_chunk(b"fmt ", struct.pack("<HHIIHH", 1, 1, 8000, 16000, 2, 16))
            + riff_chunk(b"LIST", b"INFO" + riff_chunk(b"IART", b"SpyCam Wang\0")) + b"data\xff\xff\xff\xff" + SAMPLES)
    original = b"RIFF\xff\xff\xff\xff" + body
    _attachment, stored = store(report, "live.wav", original)
    assert b"SpyCam" not in stored and stored.endswith(b"data\xff\xff\xff\xff" + SAMPLES)


def test_ogg_crc_matches_the_bitwise_definition() -> None:
    for data in (b"", b"OggS", bytes(range(256)) * 3, hashlib.sha256(b"x").digest() * 100):
        assert ogg_crc(data) == crc_reference(data)


# --- WebM -------------------------------------------------------------------------------------------

def el(eid: int, payload: bytes = b"", size_length: int = 0) -> bytes:
    length = size_length or next(n for n in range(1, 9) if len(payload) < (1 << (7 * n)) - 1)
    size = (len(payload) | 1 << (7 * length)).to_bytes(length, "big")
    return eid.to_bytes((eid.bit_length() + 7) // 8, "big") + size + payload


UNKNOWN = b"\x01\xff\xff\xff\xff\xff\xff\xff"
BLOCKS = [el(0xA3, b"\x81\x00\x00\x80" + bytes([i]) * 50) for i in range(1, 4)]


def webm(*, tags: bytes | None = None) -> bytes:
    ebml = el(0x1A45DFA3, el(0x4286, b"\x01") + el(0x42F7, b"\x01") + el(0x42F2, b"\x04") + el(0x42F3, b"\x08")
              + el(0x4282, b"webm") + el(0x4287, b"\x04") + el(0x4285, b"\x02"))
    info_children = (el(0x2AD7B1, b"\x0f\x42\x40") + el(0x4D80, b"SpyCam muxer") + el(0x5741, b"SpyCam Model X 1.0")
                     + el(0x7BA9, b"secret title", size_length=2) + el(0x4461, struct.pack(">q", 762_000_000 * 10**9))
                     + el(0x7BA9, b""))
    info = el(0x1549A966, el(0xBF, struct.pack("<I", zlib.crc32(info_children))) + info_children)
    tracks = el(0x1654AE6B, el(0xAE, el(0xD7, b"\x01") + el(0x73C5, b"\x01\x02") + el(0x83, b"\x02")
                                   + el(0x536E, b"Wang's phone microphone") + el(0x86, b"A_OPUS")))
    tag_bytes = tags if tags is not None else el(0x1254C367, el(0x7373, el(0x67C8, el(0x45A3, b"LOCATION")
                                                                           + el(0x4487, b"+30.5872+114.2734"))))
    cluster_open = b"\x1f\x43\xb6\x75" + UNKNOWN + el(0xE7, b"\x00") + BLOCKS[0] + BLOCKS[1]  # as browsers record
    cluster_closed = el(0x1F43B675, el(0xE7, b"\x10") + BLOCKS[2])
    seek_head = el(0x114D9B74, el(0x4DBB, el(0x53AB, b"\x15\x49\xa9\x66") + el(0x53AC, b"\x00\x30"))
                   + el(0x4DBB, el(0x53AB, b"\x12\x54\xc3\x67") + el(0x53AC, b"\x01\x00")))
    body = seek_head + info + tracks + cluster_open + cluster_closed + tag_bytes
    return ebml + b"\x18\x53\x80\x67" + UNKNOWN + body


def ebml_children(data: bytes, start: int, end: int) -> list[tuple[int, int, int]]:
    """(id, body, end) of each child, sizes known; an independent reader for the assertions."""
    found, pos = [], start
    while pos < end:
        id_length = 9 - data[pos].bit_length()
        eid = int.from_bytes(data[pos:pos + id_length], "big")
        size_length = 9 - data[pos + id_length].bit_length()
        raw = int.from_bytes(data[pos + id_length:pos + id_length + size_length], "big")
        size = raw & ((1 << (7 * size_length)) - 1)
        body = pos + id_length + size_length
        found.append((eid, body, body + size))
        pos = body + size
    assert pos == end
    return found


def test_webm_tags_info_and_track_names_become_void_of_the_same_size(report: Any) -> None:
    original = webm()
    attachment, stored = store(report, "recording.webm", original)
    assert attachment.content_type == "video/webm" and attachment.kind == "video"
    assert_no_secrets(original, stored)
    assert len(stored) == len(original) and b"LOCATION" not in stored
    for block in BLOCKS:
        assert stored.index(block) == original.index(block)
    segment = stored.index(b"\x18\x53\x80\x67") + 4 + len(UNKNOWN)
    cluster_open = stored.index(b"\x1f\x43\xb6\x75")
    children = ebml_children(stored, segment, cluster_open)
    assert [eid for eid, _b, _e in children] == [0x114D9B74, 0x1549A966, 0x1654AE6B]
    seeks = ebml_children(stored, children[0][1], children[0][2])
    assert [eid for eid, _b, _e in seeks] == [0x4DBB, 0xEC]  # the seek entry for Tags points nowhere now
    _eid, info, info_end = children[1]
    info_children = ebml_children(stored, info, info_end)
    assert [eid for eid, _b, _e in info_children] == [0xBF, 0x2AD7B1, 0xEC, 0xEC, 0xEC, 0xEC, 0xEC]
    crc_body = info_children[0][1]
    assert stored[crc_body:crc_body + 4] == struct.pack("<I", zlib.crc32(stored[crc_body + 4:info_end]))
    tail = stored.index(BLOCKS[2]) + len(BLOCKS[2])
    assert [eid for eid, _b, _e in ebml_children(stored, tail, len(stored))] == [0xEC]


def test_a_void_element_can_fill_any_size() -> None:
    for total in [2, 3, 127, 128, 129, 130, 16384, 16385, 16386, 2**21, 2**21 + 1, 10**7]:
        header = _void_header(total)
        size_length = 9 - header[1].bit_length()
        assert header[0] == 0xEC and len(header) == 1 + size_length
        size = int.from_bytes(header[1:], "big") & ((1 << (7 * size_length)) - 1)
        assert size != (1 << (7 * size_length)) - 1, "all ones would mean an unknown size"
        assert len(header) + size == total


# --- Refusals -----------------------------------------------------------------------------------------

DAMAGED, COMPLEX, KIND = "damaged or cannot be read", "too complex", "not accepted"
FTYP = box(b"ftyp", b"isom", bytes(4), b"isom")


def bad_opus_comments() -> bytes:
    return ogg_stream(3, [OPUS[0], b"OpusTags" + struct.pack("<I", 3) + b"abc" + struct.pack("<I", 1000), OPUS[2]])


@pytest.mark.parametrize(("data", "needle"), [
    (movie().data[:-60], DAMAGED),
    (FTYP + box(b"moov", b"\0\0\0\0trak"), DAMAGED),
    (FTYP + box(b"moov", struct.pack(">I4s", 4, b"trak")), DAMAGED),
    (FTYP + box(b"moov", struct.pack(">I4sQ", 1, b"trak", 2**40)), DAMAGED),
    (FTYP + box(b"mdat", FRAME), DAMAGED),
    (FTYP + box(b"moov", trak(1, b"meta", b"", [2**31], [10], [(1, 1)], co64=False)), DAMAGED),
    (FTYP + box(b"moov", box(b"free") * 300_000), COMPLEX),
    (FTYP + box(b"moov", trak(2, b"meta", b"", [], [], [], co64=False)) + box(b"moof"), COMPLEX),
    (FTYP + box(b"moov", box(b"cmov", b"zlib")), DAMAGED),
    (id3v2()[:6] + syncsafe(2**20) + b"\xff\xfb\x90\x64" * 50, DAMAGED),
    (id3v2() + b"no frames here, only text " * 10, DAMAGED),
    (MP3_FRAMES + b"APETAGEX" + struct.pack("<IIII", 2000, 10**6, 1, 0) + bytes(8), DAMAGED),
    (wav()[:-100], DAMAGED),
    (b"RIFF" + struct.pack("<I", 40) + b"WAVE" + riff_chunk(b"LIST", b"INFOSpyCam")[:-4], DAMAGED),
    (b"RIFF" + struct.pack("<I", 28) + b"WAVE" + riff_chunk(b"fmt ", bytes(16)), DAMAGED),
    (ogg_stream(7, VORBIS)[:-10], DAMAGED),
    (bad_opus_comments(), DAMAGED),
    (ogg_stream(5, [b"\x7fFLAC\x01\x00\x00\x01fLaC" + bytes(38), b"\x84" + bytes(30)]), KIND),
    (ogg_stream(7, VORBIS[:1]), DAMAGED),
    (webm(tags=b"\x12\x54\xc3\x67\x40\xff" + b"\x73\x73"), DAMAGED),
    (webm(tags=b"\x12\x54\xc3\x67" + UNKNOWN + b"\x73\x73\x80"), DAMAGED),
    (webm()[:-30] + b"\x00", DAMAGED),
], ids=["mp4-truncated", "mp4-zero-size-inside", "mp4-size-below-header", "mp4-64bit-size-past-end",
        "mp4-no-moov", "mp4-chunk-past-end", "mp4-300000-boxes", "mp4-fragmented-telemetry", "mp4-compressed-moov",
        "mp3-id3-past-end", "mp3-no-frames",
        "mp3-ape-past-end", "wav-truncated", "wav-list-past-end", "wav-no-data", "ogg-truncated",
        "ogg-comment-count-past-end", "ogg-flac", "ogg-no-comment-packet", "webm-tags-past-end",
        "webm-tags-of-unknown-size", "webm-garbage"])
def test_files_whose_structure_cannot_be_walked_are_refused_and_nothing_is_stored(
        report: Any, settings: Any, data: bytes, needle: str) -> None:
    started = time.monotonic()
    with pytest.raises(ValidationError) as refused:
        attachment_store(report=report, upload=files.upload("clip.bin", data, "video/mp4"))
    assert time.monotonic() - started < 3
    message = " ".join(refused.value.messages)
    assert needle in message and "clip.bin" in message
    assert not Attachment.objects.exists()
    incoming = settings.MEDIA_ROOT / "attachments" / "incoming"
    assert not incoming.exists() or not list(incoming.iterdir())


def test_a_refused_file_is_left_untouched_not_half_cleaned(tmp_path: Path) -> None:
    damaged = movie().data + box(b"free")[:6]  # good metadata to clean, then a broken box
    path = tmp_path / "a.mp4"
    path.write_bytes(damaged)
    with pytest.raises(MediaRefused):
        media_strip(path, "video/mp4")
    assert path.read_bytes() == damaged


def test_amr_has_no_metadata_and_is_stored_as_sent(report: Any) -> None:
    original = b"#!AMR\n" + b"\x3c\x48\xf5\x5f\x96\x66\x79\xe1\xe0\x01\xe7\x8a\xf0\x00\x00\x00\xc0\x00" * 10
    attachment, stored = store(report, "call.amr", original)
    assert attachment.content_type == "audio/amr" and stored == original


@pytest.mark.skipif(shutil.which("ffprobe") is None, reason="ffprobe (Debian's ffmpeg) is not installed: "
                    "the byte-level assertions above do not depend on it")
@pytest.mark.parametrize(("suffix", "data"), [
    # The synthetic movies carry no real sample descriptions; real ones are probed in the test below.
    ("mp3", id3v2() + MP3_FRAMES + id3v1()), ("wav", wav()), ("ogg", ogg_stream(9, OPUS)), ("webm", webm()),
])
def test_ffprobe_reads_a_cleaned_file_as_it_read_the_original(tmp_path: Path, suffix: str, data: bytes) -> None:
    mime = {"mp4": "video/mp4", "mov": "video/quicktime", "mp3": "audio/mpeg", "wav": "audio/x-wav",
            "ogg": "audio/ogg", "webm": "video/webm"}[suffix]
    original, clean = tmp_path / f"original.{suffix}", tmp_path / f"clean.{suffix}"
    original.write_bytes(data)
    clean.write_bytes(data)
    media_strip(clean, mime)

    def probe(path: Path) -> subprocess.CompletedProcess[str]:
        return subprocess.run(["ffprobe", "-v", "error", "-show_entries", "stream=codec_type", "-of", "csv=p=0",
                               str(path)], capture_output=True, text=True, timeout=30, check=False)

    before = probe(original)
    assert before.returncode == 0, before.stderr
    after = probe(clean)
    assert after.returncode == 0, after.stderr
    assert after.stdout.split().count("audio") == before.stdout.split().count("audio")
    assert after.stdout.split().count("video") == before.stdout.split().count("video")


FFMPEG_SOURCES = {
    "video": ["-f", "lavfi", "-i", "testsrc=duration=1:size=64x48:rate=10", "-f", "lavfi", "-i",
              "sine=frequency=440:duration=1"],
    "audio": ["-f", "lavfi", "-i", "sine=frequency=440:duration=1"],
}
SECRET_TAGS = {"title": "SpyCam clip 万某", "artist": "Wang Lei 王磊", "comment": "recorded at 民族街12号",
               "location": "+30.5872+114.2881/", "com.apple.quicktime.location.ISO6709": "+30.5872+114.2881/",
               "encoder": "SpyCam Firmware 1.2"}


@pytest.mark.skipif(shutil.which("ffmpeg") is None, reason="ffmpeg (Debian's ffmpeg) is not installed; CI installs "
                    "it (scripts/ensure-debs.sh)")
@pytest.mark.parametrize(("suffix", "mime", "source", "codec"), [
    ("mp4", "video/mp4", "video", ["-c:v", "mpeg4", "-c:a", "aac"]),
    ("mov", "video/quicktime", "video", ["-c:v", "mpeg4", "-c:a", "aac"]),
    ("m4a", "audio/mp4", "audio", ["-c:a", "aac"]),
    ("mp3", "audio/mpeg", "audio", ["-c:a", "libmp3lame"]),
    ("wav", "audio/x-wav", "audio", ["-c:a", "pcm_s16le"]),
    ("ogg", "audio/ogg", "audio", ["-c:a", "libvorbis"]),
    ("webm", "video/webm", "video", ["-c:v", "libvpx", "-c:a", "libvorbis"]),
])
def test_real_recordings_lose_their_tags_and_keep_every_media_packet(tmp_path: Path, suffix: str, mime: str,
                                                                      source: str, codec: list[str]) -> None:
    original = tmp_path / f"original.{suffix}"
    tags = [arg for key, value in SECRET_TAGS.items() for arg in ("-metadata", f"{key}={value}")]
    made = subprocess.run(["ffmpeg", "-v", "error", "-y", *FFMPEG_SOURCES[source], *codec, *tags,
                           "-movflags", "use_metadata_tags", "-shortest", str(original)],
                          capture_output=True, text=True, timeout=120, check=False)
    assert made.returncode == 0, made.stderr

    def tags_of(path: Path) -> str:
        out = subprocess.run(["ffprobe", "-v", "error", "-show_entries", "format_tags:stream_tags", "-of", "json",
                              str(path)], capture_output=True, text=True, timeout=30, check=True)
        return out.stdout

    def packets_of(path: Path) -> list[str]:
        out = subprocess.run(["ffprobe", "-v", "error", "-show_entries", "packet=stream_index,pts,size",
                              "-of", "csv=p=0", str(path)], capture_output=True, text=True, timeout=30, check=True)
        return out.stdout.split()

    assert "SpyCam" in tags_of(original) or "万某" in tags_of(original), "the test file must carry tags"
    clean = tmp_path / f"clean.{suffix}"
    clean.write_bytes(original.read_bytes())
    media_strip(clean, mime)
    remaining = tags_of(clean)
    for value in ("SpyCam", "万某", "王磊", "民族街", "+30.5872"):
        assert value not in remaining, f"{value} survives in {suffix}: {remaining}"
        assert value.encode() not in clean.read_bytes()
    assert packets_of(clean) == packets_of(original), "a media packet changed"


# --- Through the portal -----------------------------------------------------------------------------

def test_a_video_with_gps_posted_through_the_portal_is_stored_without_it(org: Any, client: Client,
                                                                          settings: Any) -> None:
    settings.ROOT_URLCONF = "saohei.portal.tests.urls"
    settings.SAOHEI_PORTAL_CHALLENGE_AT = -1
    built = movie(b"qt  ")
    _html, key = open_form(client, "en")
    data = form_data(key, files=[files.upload("IMG_0001.MOV", built.data, "video/quicktime")])
    response = client.post(reverse("portal:submit"), data)
    assert receipt_in(response.content.decode()), response.content.decode()[:2000]
    attachment = Attachment.objects.get()
    stored = attachment_path(attachment).read_bytes()
    assert attachment.kind == "video" and attachment.metadata_removed
    assert_no_secrets(built.data, stored)
    assert stored[built.frame_at:built.frame_at + len(FRAME)] == FRAME
