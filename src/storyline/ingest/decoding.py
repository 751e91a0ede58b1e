"""Bytes to text: declared charset first, then UTF-8, then statistical detection.

News pages lie about their encoding often enough (a Ukrainian page served as
cp1251 with no header, a UTF-8 page declaring latin-1) that each step checks
its result rather than trusting the label.
"""

from __future__ import annotations

import codecs
import re
import zlib

import webencodings
from charset_normalizer import from_bytes

from storyline.ingest.errors import IngestError
from storyline.settings import settings

_BINARY_MAGIC = {
    b"%PDF": "a PDF document",
    b"PK\x03\x04": "a ZIP archive (or an Office document)",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"\x7fELF": "an executable",
    b"BZh": "a bzip2 archive",
    b"\xfd7zXZ": "an xz archive",
}
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_\-:.]+)""", re.I)
_XML_ENCODING = re.compile(rb"""<\?xml[^>]+encoding\s*=\s*["']([a-zA-Z0-9_\-.]+)["']""", re.I)
_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?([a-zA-Z0-9_\-:.]+)", re.I)
# Python codecs that are not a page's character set, though a label can name them: decoding
# with them raises, or turns ASCII into something else (UTF-7 is how pages smuggled script).
_NOT_CHARSETS = {"idna", "punycode", "undefined", "unicode-escape", "raw-unicode-escape", "utf-7", "utf-16", "utf-16-le",
                 "utf-16-be", "utf-32", "utf-32-le", "utf-32-be", "replacement"}
# C0 controls other than tab and line ends are no part of any article; a stray NUL past the binary sniff is one.
_CONTROLS = re.compile("[\x00-\x08\x0e-\x1f\x7f]")
_BREAKING_CONTROLS = re.compile("[\x0b\x0c]")
# What a wrong decoding leaves: replacement characters, and C0 controls other than tab, line and form feed.
_GARBAGE = re.compile("[\ufffd\x00-\x08\x0b\x0e-\x1f]")


def gunzip_limited(data: bytes, max_bytes: int) -> bytes:
    """Decompress gzip without letting a small bomb fill memory."""
    decompressor = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        out = decompressor.decompress(data, max_bytes + 1)
    except zlib.error as exc:
        raise IngestError(f"corrupt gzip data: {exc}") from exc
    if len(out) > max_bytes or decompressor.unconsumed_tail:
        raise IngestError(f"too large: more than {max_bytes:,} bytes once decompressed (limit --max-bytes)")
    return out


def check_size(data: bytes, max_bytes: int) -> None:
    if not data.strip():
        raise IngestError("empty input: no bytes (or only whitespace) to read")
    if len(data) > max_bytes:
        raise IngestError(f"too large: {len(data):,} bytes, over the limit of {max_bytes:,} (raise it with --max-bytes)")


def declared_charset(data: bytes, content_type: str | None = None) -> tuple[str | None, str]:
    """The charset the input claims, and where the claim was found."""
    if content_type and (match := _HEADER_CHARSET.search(content_type)):
        return match.group(1), "HTTP header"
    head = data[:4096]
    for pattern, where in ((_XML_ENCODING, "XML declaration"), (_META_CHARSET, "HTML meta tag")):
        if match := pattern.search(head):
            return match.group(1).decode("ascii", "replace"), where
    return None, ""


def _looks_binary(data: bytes) -> str | None:
    for magic, what in _BINARY_MAGIC.items():
        if data.startswith(magic):
            return what
    sample = data[:8192]
    if b"\x00" in sample and not (sample.startswith(codecs.BOM_UTF16_LE) or sample.startswith(codecs.BOM_UTF16_BE)):
        return "binary data (NUL bytes)"
    return None


def _garbage_share(text: str) -> float:
    if not text:
        return 1.0
    return len(_GARBAGE.findall(text)) / len(text)


def charset_codec(label: str) -> str | None:
    """The Python codec for a declared charset, or None when the label names none a page can be in.

    Labels are read as browsers read them (the WHATWG Encoding Standard, through webencodings:
    `latin1` is windows-1252, `utf-16` in a page that an ASCII pattern could read is a lie);
    labels it does not know fall back to Python's names, less the codecs that are not charsets."""
    found = webencodings.lookup(label)
    name = found.codec_info.name if found is not None else None
    if name is None:
        try:
            info = codecs.lookup(label)
        except LookupError:
            return None
        name = info.name if getattr(info, "_is_text_encoding", True) else None
    return name if name is not None and name.replace("_", "-") not in _NOT_CHARSETS else None


def _try_decode(data: bytes, encoding: str) -> str | None:
    try:
        text = data.decode(encoding)
    except (LookupError, UnicodeError, ValueError):
        return None
    return text if _garbage_share(text) <= settings().ingest.max_garbage_share else None


def _without_controls(text: str) -> str:
    return _CONTROLS.sub("", _BREAKING_CONTROLS.sub("\n", text))


def decode_bytes(data: bytes, content_type: str | None = None) -> tuple[str, str]:
    """Return (text, how it was decoded), without control characters. Raise IngestError for
    binary or undecodable input."""
    text, how = _decode(data, content_type)
    return _without_controls(text), how


def _decode(data: bytes, content_type: str | None) -> tuple[str, str]:
    if what := _looks_binary(data):
        raise IngestError(f"not text: the input is {what}")
    for bom, encoding in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom) and (text := _try_decode(data, encoding)) is not None:
            return text, f"{encoding} (byte-order mark)"
    label, where = declared_charset(data, content_type)
    charset = charset_codec(label) if label else None
    if charset and charset.replace("_", "-") != "utf-8":
        text = _try_decode(data, charset)
        # A page declaring a legacy charset while being valid UTF-8 is common: prefer UTF-8 when it decodes.
        utf8 = _try_decode(data, "utf-8")
        if utf8 is not None and not data.isascii():
            return utf8, f"utf-8 (declared {label} in {where}, but the bytes are UTF-8)"
        if text is not None:
            return text, f"{label} (declared in {where})"
    if (text := _try_decode(data, "utf-8")) is not None:
        return text, "utf-8"
    best = from_bytes(data[:200_000]).best()
    if best is not None and (codec := charset_codec(best.encoding)) and (text := _try_decode(data, codec)) is not None:
        return text, f"{best.encoding} (detected)"
    raise IngestError(
        "undecodable bytes: not UTF-8, no usable declared charset, and detection found no encoding that fits"
    )


def maybe_gunzip(data: bytes, max_bytes: int) -> bytes:
    return gunzip_limited(data, max_bytes) if data[:2] == b"\x1f\x8b" else data

