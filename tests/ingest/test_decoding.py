import gzip
import random

import pytest

from storyline.ingest.decoding import check_size, decode_bytes, gunzip_limited
from storyline.ingest.errors import IngestError

UKRAINIAN = (
    "Президент України Володимир Зеленський заявив, що Україна не обговорює можливість отримання членства в НАТО "
    "в обмін на окуповані території. Це питання принципу, наголосив глава держави."
)


def test_cp1251_page_without_declared_charset_comes_out_right():
    text, how = decode_bytes(f"<html><body><p>{UKRAINIAN}</p></body></html>".encode("cp1251"))
    assert UKRAINIAN in text and "detected" in how


def test_declared_charset_is_used():
    data = f'<html><head><meta charset="windows-1251"></head><body><p>{UKRAINIAN}</p></body></html>'.encode("cp1251")
    text, how = decode_bytes(data)
    assert UKRAINIAN in text and "declared" in how


def test_utf8_page_mislabelled_as_latin1_is_read_as_utf8():
    data = f'<meta charset="iso-8859-1"><p>{UKRAINIAN}</p>'.encode()
    text, how = decode_bytes(data)
    assert UKRAINIAN in text and "bytes are UTF-8" in how


@pytest.mark.parametrize(("data", "what"), [(b"%PDF-1.7\n...", "PDF"), (b"\x89PNG\r\n\x1a\n....", "PNG"), (b"abc\x00\x00\x01def", "NUL")])
def test_binary_input_is_refused_with_its_kind(data, what):
    with pytest.raises(IngestError, match=what):
        decode_bytes(data)


def test_undecodable_bytes_get_a_clear_error():
    generator = random.Random(1)
    noise = bytes(generator.randrange(128, 256) for _ in range(2000))
    with pytest.raises(IngestError, match="undecodable"):
        decode_bytes(noise)


def test_empty_and_oversized_inputs():
    with pytest.raises(IngestError, match="empty"):
        check_size(b"  \n\t", 100)
    with pytest.raises(IngestError, match="too large"):
        check_size(b"x" * 101, 100)


def test_gzip_bomb_is_stopped():
    bomb = gzip.compress(b"\0" * 5_000_000)
    with pytest.raises(IngestError, match="decompressed"):
        gunzip_limited(bomb, max_bytes=1_000_000)
