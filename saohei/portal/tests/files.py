"""Files for tests: a JPEG carrying GPS, archive bombs, disguised executables."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image


def jpeg_with_gps(size: tuple[int, int] = (64, 48)) -> bytes:
    image = Image.new("RGB", size, (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "SpyCam Maker"  # Make
    exif[0x0110] = "Model X"  # Model
    gps = {1: "N", 2: (30.0, 35.0, 12.5), 3: "E", 4: (114.0, 16.0, 40.2)}
    exif[0x8825] = gps  # GPSInfo IFD
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif.tobytes(), comment=b"secret comment")
    data = out.getvalue()
    assert Image.open(io.BytesIO(data)).getexif().get_ifd(0x8825), "the test image must carry GPS"
    return data


def png_bytes(size: tuple[int, int] = (20, 20)) -> bytes:
    out = io.BytesIO()
    Image.new("RGBA", size, (0, 0, 255, 128)).save(out, format="PNG")
    return out.getvalue()


def png_bomb(width: int = 30000, height: int = 30000) -> bytes:
    """A tiny PNG whose header claims width × height pixels of zeros (deflate compresses them ~1000×)."""
    row = b"\0" + b"\0" * ((width + 7) // 8)
    compressor = zlib.compressobj(9)
    idat = b"".join(compressor.compress(row) for _ in range(min(height, 2000))) + compressor.flush()

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)  # 1-bit greyscale
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def zip_bomb(megabytes: int = 200) -> bytes:
    out = io.BytesIO()
    chunk = b"\0" * (1024 * 1024)
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as zf, \
            zf.open("zeros.bin", "w", force_zip64=True) as member:
        for _ in range(megabytes):
            member.write(chunk)
    return out.getvalue()


def zip_of(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return out.getvalue()


ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 8 + b"\x02\x00\x3e\x00" + b"\x00" * 200
PE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 44 + b"\x80\x00\x00\x00" + b"\x00" * 200
HTML = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"
SCRIPT = b"#!/bin/sh\nrm -rf / --no-preserve-root\n"


def upload(name: str, data: bytes, content_type: str = "image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)
