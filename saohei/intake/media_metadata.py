"""Identifying metadata removed from audio and video files, in place and in pure Python.

Only the container's structure is read, never the coded media. A walker visits a bounded number of
parts (boxes, chunks, elements, pages, comments), no deeper than MAX_DEPTH, and plans its edits; they
are applied once the whole file has been walked, so a file that cannot be walked is refused untouched
(`MediaRefused`). Lengths and offsets are kept, but in MP3, which has none. What goes, by format:
MP4/M4A/MOV `udta`, `meta`, `uuid` (XMP), `XMP_`, `loci`, `©…` and unknown top-level boxes (as `free`
boxes of zeros), `free` boxes where no media starts, header dates, handler names and the samples of
timed-metadata, subtitle and timecode tracks (GoPro/drone GPS, Apple `mebx`); WAV chunks but `fmt `,
`fact` and `data` (as `JUNK`); MP3 ID3v2, ID3v1, APEv2 and Lyrics3 tags (cut); Ogg Vorbis/Opus/Theora/
Speex vendor and comments (blanked, page CRCs recomputed); Matroska/WebM Tags, Attachments, Chapters,
Info's title, applications, date and file names, track names (as Void elements, CRC-32s recomputed).
"""

from __future__ import annotations

import mmap
import os
import re
import struct
import sys
import zlib
from array import array
from bisect import bisect_left
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, NamedTuple

from django.utils.translation import gettext, gettext_noop

MIN_PARTS = 10_000  # parts any file may have; beyond, one part for every PART_BYTES of the file
PART_BYTES = 32
MAX_DEPTH = 8
BLOCK = 1024 * 1024
DAMAGED = gettext_noop("this audio or video file is damaged or cannot be read.")
TOO_COMPLEX = gettext_noop("this audio or video file is too complex to check.")
UNSUPPORTED = gettext_noop("this kind of file is not accepted. Send photos, audio, video, PDF, Word, "
                           "Excel, plain text or ZIP files.")


class MediaRefused(Exception):
    """The file cannot be walked safely; str() is the reason, translated."""

    def __str__(self) -> str:
        return gettext(str(self.args[0]))


def _damaged_if(condition: bool) -> None:
    if condition:
        raise MediaRefused(DAMAGED)


@dataclass
class _Plan:
    """Edits to make once the whole file has been walked, and what is left of the walk's budget."""

    writes: list[tuple[int, bytes]] = field(default_factory=list)
    zeros: list[tuple[int, int]] = field(default_factory=list)
    after: list[Callable[[mmap.mmap], None]] = field(default_factory=list)  # checksums, once edited
    budget: int = MIN_PARTS

    def visit(self, count: int = 1) -> None:
        self.budget -= count
        if self.budget < 0:
            raise MediaRefused(TOO_COMPLEX)

    def apply(self, buf: mmap.mmap) -> None:
        for start, end in self.zeros:
            for pos in range(start, end, BLOCK):
                buf[pos:min(end, pos + BLOCK)] = bytes(min(end, pos + BLOCK) - pos)
        for pos, data in self.writes:
            buf[pos:pos + len(data)] = data
        for finish in self.after:
            finish(buf)


def media_strip(path: Path, mime: str) -> None:
    """Remove identifying metadata from the audio or video file at `path`, in place. Raise
    MediaRefused, leaving the file as it was, when its structure cannot be walked."""
    if mime == "audio/amr":
        return
    if mime == "audio/mpeg":
        _strip_mp3(path)
        return
    walker = _WALKERS.get(mime)
    if walker is None:
        raise MediaRefused(UNSUPPORTED)
    with path.open("r+b") as handle:
        _damaged_if(os.fstat(handle.fileno()).st_size == 0)
        with mmap.mmap(handle.fileno(), 0) as buf:
            plan = _Plan(budget=MIN_PARTS + len(buf) // PART_BYTES)
            walker(buf, plan)
            plan.apply(buf)
            buf.flush()
        os.fsync(handle.fileno())


# --- ISO base media file format: MP4, M4A, MOV ---------------------------------------------------

_ISO_BLANK = {b"udta", b"meta", b"uuid", b"XMP_", b"loci", b"ID32"}
_ISO_FREE = {b"free", b"skip", b"wide"}
_ISO_TOP = {b"ftyp", b"moov", b"mdat", b"moof", b"mfra", b"styp", b"sidx", b"ssix", b"prft", b"emsg"}
_ISO_DATED = {b"mvhd", b"tkhd", b"mdhd"}
_ISO_TABLES = {b"stsz", b"stsc", b"stco", b"co64"}
_ISO_INSIDE = {b"": {b"moov"}, b"moov": {b"trak"}, b"trak": {b"mdia"}, b"mdia": {b"minf"}, b"minf": {b"stbl"}}
# Tracks whose samples are metadata: GoPro GPMF, Apple mebx and CAMM (handler `meta`), subtitles and
# chapters (drones write their coordinates there) and timecode (the time of day of the recording).
_ISO_META_HANDLERS = {b"meta", b"text", b"sbtl", b"subt", b"tmcd"}


class _Box(NamedTuple):
    kind: bytes
    start: int
    head: int  # the size and type fields: 8 bytes, or 16 with a 64-bit size
    body: int  # after the header and, for `uuid`, the user type
    end: int


@dataclass
class _Track:
    handler: bytes = b""
    tables: dict[bytes, _Box] = field(default_factory=dict)


@dataclass
class _Iso:
    buf: mmap.mmap
    plan: _Plan
    tracks: list[_Track] = field(default_factory=list)
    loose: list[_Box] = field(default_factory=list)  # `free`, or unknown at the top: blanked unless media
    movie: bool = False
    fragmented: bool = False


def _iso_boxes(iso: _Iso, start: int, end: int, depth: int) -> Iterator[_Box]:
    if depth > MAX_DEPTH:
        raise MediaRefused(TOO_COMPLEX)
    buf, pos = iso.buf, start
    while pos < end:
        iso.plan.visit()
        if depth and end - pos == 4 and buf[pos:end] == bytes(4):
            return  # QuickTime's optional terminator
        _damaged_if(end - pos < 8)
        size, kind = struct.unpack_from(">I4s", buf, pos)
        head = 8
        if size == 1:
            _damaged_if(end - pos < 16)
            (size,) = struct.unpack_from(">Q", buf, pos + 8)
            head = 16
        elif size == 0 and depth == 0:
            size = end - pos  # the last box runs to the end of the file
        body = pos + head + (16 if kind == b"uuid" else 0)
        _damaged_if(size < body - pos or size > end - pos)
        yield _Box(kind, pos, head, body, pos + size)
        pos += size


def _iso_walk(iso: _Iso, parent: bytes, start: int, end: int, depth: int) -> None:
    for box in _iso_boxes(iso, start, end, depth):
        kind = box.kind
        if kind in _ISO_BLANK or kind[0] == 0xA9:
            iso.plan.writes.append((box.start + 4, b"free"))
            iso.plan.zeros.append((box.start + box.head, box.end))
        elif kind in _ISO_INSIDE.get(parent, set()):
            iso.movie |= kind == b"moov"
            if kind == b"trak":
                iso.tracks.append(_Track())
            _iso_walk(iso, kind, box.body, box.end, depth + 1)
        elif kind in _ISO_FREE or (not parent and kind not in _ISO_TOP):
            iso.loose.append(box)
        elif kind in _ISO_DATED:  # zero the creation and modification times
            width = 8 if iso.buf[box.body:box.body + 1] == b"\x01" else 4
            _damaged_if(box.end - box.body < 4 + 2 * width)
            iso.plan.zeros.append((box.body + 4, box.body + 4 + 2 * width))
        elif kind == b"hdlr":
            _damaged_if(box.end - box.body < 24)
            if parent == b"mdia":
                iso.tracks[-1].handler = bytes(iso.buf[box.body + 8:box.body + 12])
            iso.plan.zeros.append((box.body + 24, box.end))  # the name: often the camera's maker
        elif kind in _ISO_TABLES and parent == b"stbl":
            iso.tracks[-1].tables[kind] = box
        elif kind == b"moof":
            iso.fragmented = True
        elif kind == b"cmov":
            raise MediaRefused(DAMAGED)  # a compressed movie header cannot be cleaned in place


def _iso_table(iso: _Iso, box: _Box, header: int, width: int, fields: int = 1) -> array[int]:
    """The entries of a sample table box whose entry count ends its `header` bytes, each of `fields`
    numbers `width` (4 or 8, the item sizes of "I" and "Q" on Linux) bytes wide."""
    _damaged_if(box.end - box.body < header)
    (count,) = struct.unpack_from(">I", iso.buf, box.body + header - 4)
    start = box.body + header
    _damaged_if(count * width * fields > box.end - start)
    iso.plan.visit(count)
    numbers = array("I" if width == 4 else "Q", iso.buf[start:start + count * width * fields])
    if sys.byteorder == "little":
        numbers.byteswap()
    return numbers


def _iso_offsets(iso: _Iso, track: _Track) -> array[int]:
    box = track.tables.get(b"co64") or track.tables.get(b"stco")
    return array("Q") if box is None else _iso_table(iso, box, 8, 8 if box.kind == b"co64" else 4)


def _iso_chunks(iso: _Iso, track: _Track) -> Iterator[tuple[int, int]]:
    """Where each chunk of a track's samples lies: (start, end)."""
    stsz, stsc = track.tables.get(b"stsz"), track.tables.get(b"stsc")
    if stsz is None or stsc is None or stsz.end - stsz.body < 12:
        raise MediaRefused(DAMAGED)
    uniform, count = struct.unpack_from(">II", iso.buf, stsz.body + 4)
    sizes = _iso_table(iso, stsz, 12, 4) if uniform == 0 else None
    runs = _iso_table(iso, stsc, 8, 4, fields=3)
    firsts, per_chunk = runs[0::3], runs[1::3]
    offsets = _iso_offsets(iso, track)
    _damaged_if(len(offsets) > 0 and (not firsts or firsts[0] != 1))
    sample, run = 0, 0
    for number, offset in enumerate(offsets, 1):
        while run + 1 < len(firsts) and firsts[run + 1] <= number:
            run += 1
        samples = per_chunk[run]
        length = uniform * samples if sizes is None else sum(sizes[sample:sample + samples])
        sample += samples
        _damaged_if(sample > (count if sizes is None else len(sizes)) or offset + length > len(iso.buf))
        yield offset, offset + length


def _strip_iso(buf: mmap.mmap, plan: _Plan) -> None:
    iso = _Iso(buf, plan)
    _iso_walk(iso, b"", 0, len(buf), 0)
    _damaged_if(not iso.movie)
    starts: list[int] = []
    for track in iso.tracks:
        if track.handler in _ISO_META_HANDLERS:
            if iso.fragmented:
                raise MediaRefused(TOO_COMPLEX)  # its samples would be in fragments, not walked
            chunks = list(_iso_chunks(iso, track))
            iso.plan.zeros.extend(chunks)
            starts.extend(start for start, _end in chunks)
        else:
            starts.extend(_iso_offsets(iso, track))
    starts.sort()
    for box in iso.loose:
        first = bisect_left(starts, box.start)
        if first == len(starts) or starts[first] >= box.end:
            iso.plan.writes.append((box.start + 4, b"free"))
            iso.plan.zeros.append((box.start + box.head, box.end))


# --- WAV ------------------------------------------------------------------------------------------

_WAV_KEEP = {b"fmt ", b"fact", b"data", b"JUNK", b"junk", b"PAD ", b"FLLR"}


def _strip_wav(buf: mmap.mmap, plan: _Plan) -> None:
    size = len(buf)
    _damaged_if(size < 12 or buf[0:4] != b"RIFF" or buf[8:12] != b"WAVE")
    pos, seen = 12, set()
    while size - pos >= 8:
        plan.visit()
        kind = bytes(buf[pos:pos + 4])
        (length,) = struct.unpack_from("<I", buf, pos + 4)
        if kind == b"data" and length == 0xFFFFFFFF:
            length = size - pos - 8  # written while recording: the samples run to the end
        end = pos + 8 + length
        _damaged_if(end > size)
        if kind not in _WAV_KEEP:
            plan.writes.append((pos, b"JUNK"))
            plan.zeros.append((pos + 8, end))
        seen.add(kind)
        pos = min(end + (length & 1), size)
    plan.zeros.append((pos, size))  # a fragment too short to be a chunk
    _damaged_if(not {b"fmt ", b"data"} <= seen)


# --- MP3 ------------------------------------------------------------------------------------------

_MP3_SYNC = re.compile(rb"\xff[\xe2-\xe7\xf2-\xf7\xfa-\xff]")  # MPEG 1, 2 or 2.5, layer I, II or III
_MP3_MAX_TAGS = 16


def _read(handle: BinaryIO, pos: int, count: int) -> bytes:
    handle.seek(pos)
    return handle.read(count)


def _id3_size(header: bytes) -> int:
    """The whole size of an ID3v2 tag, from its header or footer."""
    _damaged_if(len(header) < 10 or header[3] == 0xFF or any(b & 0x80 for b in header[6:10]))
    size = header[6] << 21 | header[7] << 14 | header[8] << 7 | header[9]  # "synchsafe": 7 bits a byte
    return 10 + size + (10 if header[3] == 4 and header[5] & 0x10 else 0)


def _mp3_start(handle: BinaryIO, size: int) -> int:
    pos = 0
    for _tag in range(_MP3_MAX_TAGS):
        header = _read(handle, pos, 10)
        if header[:3] != b"ID3":
            break
        pos += _id3_size(header)
        _damaged_if(pos > size)
    else:
        raise MediaRefused(TOO_COMPLEX)
    sync = _MP3_SYNC.search(_read(handle, pos, 65536))
    if sync is None:
        raise MediaRefused(DAMAGED)
    return pos + sync.start()


def _mp3_tail(handle: BinaryIO, start: int, end: int) -> int:
    """How long the tag that ends at `end` is, or 0."""
    room = end - start
    if room >= 128 and _read(handle, end - 128, 3) == b"TAG":
        return 128 + (227 if room >= 355 and _read(handle, end - 355, 4) == b"TAG+" else 0)
    if room >= 32 and _read(handle, end - 32, 8) == b"APETAGEX":
        _version, length, _items, flags = struct.unpack("<IIII", _read(handle, end - 24, 16))
        total = length + (32 if flags & 0x80000000 else 0)
        _damaged_if(length < 32 or total > room)
        return total
    if room >= 15 and _read(handle, end - 9, 9) == b"LYRICS200":
        digits = _read(handle, end - 15, 6)
        total = int(digits) + 15 if digits.isdigit() else room + 1
        _damaged_if(total > room or _read(handle, end - total, 11) != b"LYRICSBEGIN")
        return total
    if room >= 20 and _read(handle, end - 10, 3) == b"3DI":
        total = _id3_size(_read(handle, end - 10, 10))
        _damaged_if(total > room or _read(handle, end - total, 3) != b"ID3")
        return total
    return 0


def _strip_mp3(path: Path) -> None:
    with path.open("r+b") as handle:
        size = os.fstat(handle.fileno()).st_size
        start = _mp3_start(handle, size)
        end = size
        for _tag in range(_MP3_MAX_TAGS):
            cut = _mp3_tail(handle, start, end)
            if not cut:
                break
            end -= cut
        else:
            raise MediaRefused(TOO_COMPLEX)
        _damaged_if(end <= start)
        if start or end < size:
            pos = start
            while pos < end:  # move the frames to the front
                chunk = _read(handle, pos, min(BLOCK, end - pos))
                _damaged_if(not chunk)
                handle.seek(pos - start)
                handle.write(chunk)
                pos += len(chunk)
            handle.truncate(end - start)
        handle.flush()
        os.fsync(handle.fileno())


# --- Ogg ------------------------------------------------------------------------------------------

# How a stream's first packet starts: how its comment packet starts, and how many bytes after the
# comments are kept (Vorbis's framing bit).
_OGG_CODECS = {b"\x01vorbis": (b"\x03vorbis", 1), b"OpusHead": (b"OpusTags", 0), b"\x80theora": (b"\x81theora", 0),
               b"Speex   ": (b"", 0)}
_BIT_REVERSED = bytes(int(f"{i:08b}"[::-1], 2) for i in range(256))


def ogg_crc(page: bytes) -> int:
    """Ogg's CRC-32 (polynomial 0x04c11db7, not reflected, starting from 0), by way of zlib: the
    reflected CRC of the bit-reversed bytes is the bit-reversed CRC."""
    raw = zlib.crc32(page.translate(_BIT_REVERSED), 0xFFFFFFFF) ^ 0xFFFFFFFF
    return int(f"{raw:032b}"[::-1], 2)


@dataclass
class _OggStream:
    magic: bytes
    keep: int
    packets: int = 0  # packets read to their end
    spans: list[tuple[int, int]] = field(default_factory=list)  # where the comment packet lies
    pages: list[int] = field(default_factory=list)  # where the pages it lies in start


def _neutral(length: int) -> bytes:
    return b"X=" + b" " * (length - 2) if length >= 2 else b"=" * length


def _ogg_blank(plan: _Plan, packet: bytes, offset: int, keep: int) -> bytes:
    """The comment packet with its vendor string and every comment blanked to the same length."""
    out, pos, fields, done = bytearray(packet), offset, 1, 0
    while done < fields:  # the vendor string, then as many comments as it is followed by
        plan.visit()
        _damaged_if(pos + 4 > len(packet))
        (length,) = struct.unpack_from("<I", packet, pos)
        _damaged_if(pos + 4 + length > len(packet) or (not done and pos + 8 + length > len(packet)))
        out[pos + 4:pos + 4 + length] = _neutral(length) if done else b" " * length
        pos, done = pos + 4 + length, done + 1
        if done == 1:
            fields += struct.unpack_from("<I", packet, pos)[0]
            pos += 4
    tail = min(len(out), pos + keep)
    out[tail:] = bytes(len(out) - tail)
    return bytes(out)


def _ogg_read(plan: _Plan, buf: mmap.mmap, stream: _OggStream, page: int, body: int, lacing: bytes) -> None:
    """Follow a stream's first two packets through one of its pages; blank the second when whole."""
    at = body
    for value in lacing:
        if stream.packets == 1 and value:
            if not stream.pages or stream.pages[-1] != page:
                stream.pages.append(page)
            stream.spans.append((at, at + value))
        at += value
        if value < 255:
            stream.packets += 1
            if stream.packets == 2:
                packet = b"".join(buf[a:b] for a, b in stream.spans)
                _damaged_if(not packet.startswith(stream.magic))
                clean = _ogg_blank(plan, packet, len(stream.magic), stream.keep)
                done = 0
                for a, b in stream.spans:
                    plan.writes.append((a, clean[done:done + b - a]))
                    done += b - a
                return


def _strip_ogg(buf: mmap.mmap, plan: _Plan) -> None:
    size, pos = len(buf), 0
    streams: dict[int, _OggStream] = {}
    while pos < size:
        plan.visit()
        _damaged_if(size - pos < 27 or buf[pos:pos + 5] != b"OggS\0")
        flags, serial, segments = buf[pos + 5], struct.unpack_from("<I", buf, pos + 14)[0], buf[pos + 26]
        body = pos + 27 + segments
        lacing = bytes(buf[pos + 27:body])
        end = body + sum(lacing)
        _damaged_if(end > size)
        if flags & 2:  # a stream begins: its first packet names the codec
            codec = [v for first, v in _OGG_CODECS.items() if buf[body:min(end, body + len(first))] == first]
            if not codec:
                raise MediaRefused(UNSUPPORTED)
            streams[serial] = _OggStream(*codec[0])
        stream = streams.get(serial)
        if stream is None:
            raise MediaRefused(DAMAGED)
        if stream.packets < 2:
            _ogg_read(plan, buf, stream, pos, body, lacing)
        pos = end
    _damaged_if(not streams or any(stream.packets < 2 for stream in streams.values()))
    pages = sorted({page for stream in streams.values() for page in stream.pages})

    def crcs(edited: mmap.mmap) -> None:
        for start in pages:
            header_end = start + 27 + edited[start + 26]
            page = bytearray(edited[start:header_end + sum(edited[start + 27:header_end])])
            page[22:26] = bytes(4)
            edited[start + 22:start + 26] = struct.pack("<I", ogg_crc(bytes(page)))

    plan.after.append(crcs)


# --- Matroska, WebM -------------------------------------------------------------------------------

_SEGMENT, _CLUSTER, _VOID, _CRC32 = 0x18538067, 0x1F43B675, 0xEC, 0xBF
_INFO, _TRACKS, _TRACK_ENTRY, _SEEK_HEAD, _SEEK, _SEEK_ID = 0x1549A966, 0x1654AE6B, 0xAE, 0x114D9B74, 0x4DBB, 0x53AB
_MKV_VOIDED = {0x1254C367, 0x1941A469, 0x1043A770}  # Tags, Attachments, Chapters
# Title, MuxingApp, WritingApp, DateUTC, SegmentFilename, PrevFilename, NextFilename.
_MKV_INFO_VOIDED = {0x7BA9, 0x4D80, 0x5741, 0x4461, 0x7384, 0x3C83AB, 0x3E83BB}
_MKV_TRACK_VOIDED = {0x536E}  # Name


class _Element(NamedTuple):
    eid: int
    start: int
    body: int
    end: int
    unknown: bool  # of unknown size: runs to the end of its parent, or to the next level-1 element


@dataclass
class _Mkv:
    buf: mmap.mmap
    plan: _Plan
    crcs: list[tuple[int, int]] = field(default_factory=list)  # a CRC-32's body, the end of its parent


def _vint(buf: mmap.mmap, pos: int, limit: int) -> tuple[int, int]:
    """An EBML variable-size integer with its length marker, and its length in bytes."""
    _damaged_if(pos >= limit or buf[pos] == 0)
    length = 9 - buf[pos].bit_length()
    _damaged_if(pos + length > limit)
    return int.from_bytes(buf[pos:pos + length], "big"), length


def _mkv_element(mkv: _Mkv, pos: int, limit: int) -> _Element:
    mkv.plan.visit()
    eid, id_length = _vint(mkv.buf, pos, limit)
    _damaged_if(id_length > 4)
    size, size_length = _vint(mkv.buf, pos + id_length, limit)
    mask = (1 << (7 * size_length)) - 1
    body = pos + id_length + size_length
    unknown = size & mask == mask
    end = limit if unknown else body + (size & mask)
    _damaged_if(end > limit)
    return _Element(eid, pos, body, end, unknown)


def _mkv_children(mkv: _Mkv, parent: _Element, *, crc: bool = True) -> Iterator[_Element]:
    pos = parent.body
    while pos < parent.end:
        child = _mkv_element(mkv, pos, parent.end)
        _damaged_if(child.unknown)
        if crc and pos == parent.body and child.eid == _CRC32 and child.end - child.body == 4:
            mkv.crcs.append((child.body, parent.end))
        yield child
        pos = child.end


def _void_header(total: int) -> bytes:
    """The ID and size of a Void element `total` bytes long in all."""
    for length in range(1, 9):
        payload = total - 1 - length
        if 0 <= payload < (1 << (7 * length)) - 1:
            return bytes([_VOID]) + (payload | 1 << (7 * length)).to_bytes(length, "big")
    raise MediaRefused(DAMAGED)


def _mkv_void(mkv: _Mkv, element: _Element) -> None:
    header = _void_header(element.end - element.start)
    mkv.plan.writes.append((element.start, header))
    mkv.plan.zeros.append((element.start + len(header), element.end))


def _mkv_void_children(mkv: _Mkv, parent: _Element, voided: set[int]) -> None:
    """Void the children in `voided`, and the seek entries that point at what becomes Void."""
    for child in _mkv_children(mkv, parent):
        if child.eid == _SEEK:
            seeks = [c for c in _mkv_children(mkv, child, crc=False) if c.eid == _SEEK_ID]
            if {int.from_bytes(mkv.buf[c.body:c.end], "big") for c in seeks} & _MKV_VOIDED:
                _mkv_void(mkv, child)
        elif child.eid in voided:
            _mkv_void(mkv, child)


def _mkv_segment(mkv: _Mkv, segment: _Element) -> None:
    pos = segment.body
    while pos < segment.end:
        element = _mkv_element(mkv, pos, segment.end)
        if element.eid == _CLUSTER and element.unknown:
            pos = element.body  # as browsers record: it ends at the next level-1 element, so walk on inside
            continue
        _damaged_if(element.unknown)
        if element.eid in _MKV_VOIDED:
            _mkv_void(mkv, element)
        elif element.eid == _INFO:
            _mkv_void_children(mkv, element, _MKV_INFO_VOIDED)
        elif element.eid == _TRACKS:
            for entry in _mkv_children(mkv, element):
                if entry.eid == _TRACK_ENTRY:
                    _mkv_void_children(mkv, entry, _MKV_TRACK_VOIDED)
        elif element.eid == _SEEK_HEAD:
            _mkv_void_children(mkv, element, set())
        pos = element.end


def _strip_mkv(buf: mmap.mmap, plan: _Plan) -> None:
    mkv, pos, segments = _Mkv(buf, plan), 0, 0
    while pos < len(buf):
        element = _mkv_element(mkv, pos, len(buf))
        if element.eid == _SEGMENT:
            _mkv_segment(mkv, element)
            segments += 1
        elif element.unknown:
            raise MediaRefused(DAMAGED)
        pos = element.end
    _damaged_if(not segments)

    def crcs(edited: mmap.mmap) -> None:  # the innermost first
        for body, end in reversed(mkv.crcs):
            edited[body:body + 4] = struct.pack("<I", zlib.crc32(edited[body + 4:end]))

    plan.after.append(crcs)


_WALKERS: dict[str, Callable[[mmap.mmap, _Plan], None]] = {
    "audio/mp4": _strip_iso, "video/mp4": _strip_iso, "video/quicktime": _strip_iso,
    "audio/x-wav": _strip_wav, "audio/ogg": _strip_ogg, "video/webm": _strip_mkv,
}
