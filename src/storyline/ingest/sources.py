"""Turn what the user names (files, folders, JSONL, URLs, feeds) into raw documents.

Readers are looked up by file suffix in ``READERS``; a URL is fetched and
sniffed (feed or page). Problems with one input come out as ``IngestFailure``
items in the same stream, so one bad input never stops a batch.
"""

from __future__ import annotations

import errno
import gzip
import json
import stat
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import feedparser

from storyline.ingest.decoding import maybe_gunzip
from storyline.ingest.errors import IngestError
from storyline.ingest.fetch import Fetcher
from storyline.ingest.metadata import as_text
from storyline.records import GivenMetadata, IngestFailure, RawDocument, RawKind
from storyline.settings import settings

SIDECAR_SUFFIX = ".meta.json"
_GIVEN_FIELDS = set(GivenMetadata.__dataclass_fields__)


@dataclass
class SourceOptions:
    given: GivenMetadata = field(default_factory=GivenMetadata)
    max_bytes: int = field(default_factory=lambda: settings().ingest.max_bytes)
    # Lets a rerun skip fetching pages it already stored (resume without re-downloading).
    already_ingested: Callable[[str], bool] = lambda origin: False


@dataclass
class SourceStats:
    skipped_unsupported: list[str] = field(default_factory=list)


Item = RawDocument | IngestFailure
Reader = Callable[[Path, GivenMetadata, SourceOptions, Fetcher | None], Iterator[Item]]


def _given_from_mapping(mapping: dict, where: str) -> GivenMetadata:
    unknown = set(mapping) - _GIVEN_FIELDS - {"text", "html"}
    if unknown:
        raise IngestError(f"{where}: unknown field(s) {', '.join(sorted(unknown))[:200]}; known: {', '.join(sorted(_GIVEN_FIELDS | {'text', 'html'}))}")
    values = {}
    for key, value in mapping.items():
        if key in _GIVEN_FIELDS and value is not None:
            if not isinstance(value, str):
                raise IngestError(f"{where}: {key} must be a string, not {type(value).__name__}")
            values[key] = value
    if values.get("published"):
        values.setdefault("published_source", where)
    return GivenMetadata(**values)


def _sidecar(path: Path) -> GivenMetadata:
    sidecar = path.with_name(path.name + SIDECAR_SUFFIX)
    if not sidecar.exists():
        return GivenMetadata()
    name = as_text(sidecar.name)
    try:
        if sidecar.stat().st_size > settings().ingest.max_bytes:
            raise IngestError(f"sidecar {name} is too large to be metadata")
        mapping = json.loads(sidecar.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise IngestError(f"unreadable sidecar {name}: {exc}") from exc
    if not isinstance(mapping, dict):
        raise IngestError(f"sidecar {name} must hold a JSON object")
    return _given_from_mapping(mapping, f"sidecar {name}")


def _read_bytes(path: Path, max_bytes: int) -> bytes:
    try:
        size = path.stat().st_size
        if size > max_bytes * (20 if path.suffix == ".gz" else 1):
            raise IngestError(f"too large: {size:,} bytes, over the limit of {max_bytes:,} (raise it with --max-bytes)")
        return maybe_gunzip(path.read_bytes(), max_bytes)
    except OSError as exc:
        raise IngestError(f"cannot read file: {exc.strerror or exc}") from exc


def _document_reader(kind: RawKind) -> Reader:
    def read(path: Path, given: GivenMetadata, options: SourceOptions, _fetcher: Fetcher | None) -> Iterator[Item]:
        yield RawDocument(origin=as_text(str(path)), data=_read_bytes(path, options.max_bytes), kind_hint=kind, given=given)

    return read


@dataclass(frozen=True)
class _Oversized:
    """A batch line over the limit, skipped without being held in memory."""

    reason: str


def _batch_lines(path: Path, max_line: int, max_total: int) -> Iterator[bytes | _Oversized]:
    """A batch file's lines as a stream (decompressed as read when gzip), so memory stays within one
    line whatever the file's size; a line over `max_line` is reported and skipped, a file over
    `max_total` (decompressed) stops with an error."""
    total = 0
    try:
        with path.open("rb") as raw:
            stream = gzip.GzipFile(fileobj=raw) if raw.read(2) == b"\x1f\x8b" else raw
            raw.seek(0)
            while line := stream.readline(max_line + 1):
                total += len(line)
                if len(line) > max_line and not line.endswith(b"\n"):
                    while (rest := stream.readline(max_line)) and not rest.endswith(b"\n"):
                        total += len(rest)
                        if total > max_total:
                            break
                    total += len(rest)
                    yield _Oversized(f"too large: a line over the limit of {max_line:,} bytes (raise it with --max-bytes)")
                else:
                    yield line
                if total > max_total:
                    raise IngestError(f"too large: more than {max_total:,} bytes (decompressed), the limit for a batch file; "
                                      "split it, or raise --max-bytes")
    except (OSError, EOFError, zlib.error) as exc:
        raise IngestError(f"cannot read the batch: {exc}") from exc


def _jsonl_document(line: bytes, origin: str, where: str, given: GivenMetadata) -> RawDocument:
    try:
        record = json.loads(line.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise IngestError(f"not UTF-8 (JSONL is UTF-8): byte 0x{line[exc.start]:02x} at column {exc.start + 1}") from exc
    except RecursionError as exc:
        raise IngestError("invalid JSON: nested too deeply") from exc
    except json.JSONDecodeError as exc:
        raise IngestError(f"invalid JSON: {exc.msg} at column {exc.colno}") from exc
    except ValueError as exc:
        raise IngestError(f"invalid JSON: {exc}") from exc
    if not isinstance(record, dict):
        raise IngestError("each line must be a JSON object")
    body = record.get("html") or record.get("text")
    if not isinstance(body, str) or not body.strip():
        raise IngestError("no 'text' or 'html' field with content (a string)")
    line_given = _given_from_mapping(record, where).merged_over(given)
    return RawDocument(origin=origin, data=as_text(body).encode("utf-8"),
                       kind_hint="html" if record.get("html") else "text", given=line_given)


def _read_jsonl(path: Path, given: GivenMetadata, options: SourceOptions, _fetcher: Fetcher | None) -> Iterator[Item]:
    name = as_text(str(path))
    lines = _batch_lines(path, options.max_bytes, options.max_bytes * settings().ingest.batch_file_factor)
    read = 0
    for number, line in enumerate(lines, start=1):
        origin = f"{name}#line{number}"
        if isinstance(line, _Oversized):
            read += 1
            yield IngestFailure(origin, line.reason)
            continue
        if not line.strip():
            continue
        read += 1
        try:
            yield _jsonl_document(line, origin, f"JSONL {as_text(path.name)} line {number}", given)
        except IngestError as exc:
            yield IngestFailure(origin, str(exc))
    if not read:
        yield IngestFailure(name, "empty batch: no JSON lines in it")


def _looks_like_feed(data: bytes, content_type: str | None) -> bool:
    kind = (content_type or "").lower()
    if any(marker in kind for marker in ("rss", "atom", "rdf")):
        return True
    head = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith((b"<rss", b"<feed", b"<rdf")) or (head.startswith(b"<?xml") and any(t in head for t in (b"<rss", b"<feed", b"<rdf")))


def _parse_feed(data: bytes) -> feedparser.FeedParserDict:
    try:
        return feedparser.parse(data)
    except Exception as exc:  # feedparser lets codec and character-reference errors escape, whatever the type
        raise IngestError(f"unreadable feed: {type(exc).__name__}: {str(exc)[:200]}") from exc


def _feed_entries(data: bytes, origin: str, given: GivenMetadata, options: SourceOptions, fetcher: Fetcher | None) -> Iterator[Item]:
    parsed = _parse_feed(data)
    if not parsed.entries:
        problem = f" ({parsed.bozo_exception})" if parsed.bozo else ""
        raise IngestError(f"not an RSS/Atom feed, or a feed with no entries{problem}")
    for number, entry in enumerate(parsed.entries, start=1):
        link = entry.get("link")
        entry_given = GivenMetadata(
            url=link,
            title=entry.get("title"),
            published=entry.get("published") or entry.get("updated"),
            published_source="feed entry date",
        ).merged_over(given)
        content = next((c.get("value") for c in entry.get("content", []) if c.get("value")), None)
        if link and fetcher is not None:
            if options.already_ingested(link):
                continue
            try:
                fetched = fetcher.get(link)
            except IngestError as exc:
                yield IngestFailure(link, str(exc))
                continue
            yield RawDocument(origin=link, data=fetched.data, content_type=fetched.content_type, given=entry_given, fetched_at=fetched.fetched_at)
        elif content:
            yield RawDocument(origin=link or f"{origin}#entry{number}", data=as_text(content).encode("utf-8"), kind_hint="html", given=entry_given)
        else:
            yield IngestFailure(link or f"{origin}#entry{number}", "feed entry has neither a fetchable link nor full content")


def _read_feed_file(path: Path, given: GivenMetadata, options: SourceOptions, fetcher: Fetcher | None) -> Iterator[Item]:
    yield from _feed_entries(_read_bytes(path, options.max_bytes), as_text(str(path)), given, options, fetcher)


READERS: dict[str, Reader] = {
    **{suffix: _document_reader("text") for suffix in (".txt", ".text", ".md")},
    **{suffix: _document_reader("html") for suffix in (".html", ".htm", ".xhtml", ".shtml")},
    **{suffix: _read_jsonl for suffix in (".jsonl", ".ndjson")},
    **{suffix: _read_feed_file for suffix in (".rss", ".atom", ".xml")},
}


def reader_for(path: Path) -> Reader | None:
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] == ".gz":
        suffixes.pop()
    return READERS.get(suffixes[-1]) if suffixes else None


def _is_url(name: str) -> bool:
    return name.lower().startswith(("http://", "https://"))


def _read_url(url: str, options: SourceOptions, fetcher: Fetcher) -> Iterator[Item]:
    if options.already_ingested(url):
        return
    fetched = fetcher.get(url)
    if _looks_like_feed(fetched.data, fetched.content_type):
        yield from _feed_entries(fetched.data, url, options.given, options, fetcher)
        return
    given = GivenMetadata(url=fetched.url).merged_over(options.given) if options.given.url is None else options.given
    yield RawDocument(origin=url, data=fetched.data, content_type=fetched.content_type, given=given, fetched_at=fetched.fetched_at)


_NOT_FILES = ((stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"), (stat.S_ISFIFO, "a FIFO (named pipe)"),
              (stat.S_ISSOCK, "a socket"))


def _not_a_file(path: Path) -> str | None:
    """Why a path cannot be read as a file (reading a FIFO or /dev/zero would never end), or None."""
    try:
        mode = path.stat().st_mode
    except OSError as exc:
        if path.is_symlink():
            return "a symbolic link loop" if exc.errno == errno.ELOOP else "a broken symbolic link (its target is gone)"
        return f"cannot read file: {exc.strerror or exc}"
    if stat.S_ISREG(mode) or stat.S_ISDIR(mode):
        return None
    what = next((label for test, label in _NOT_FILES if test(mode)), "not a regular file")
    return f"{what}, not a file to read"


def _entries_under(folder: Path, seen: set[tuple[int, int]] | None = None) -> Iterator[Path | IngestFailure]:
    """Every visible file below a folder in sorted order, or the reason one cannot be read; linked
    folders are followed once (a link back up is not a loop forever)."""
    seen = seen if seen is not None else set()
    try:
        identity = (folder.stat().st_dev, folder.stat().st_ino)
        if identity in seen:
            return
        seen.add(identity)
        children = sorted(folder.iterdir())
    except OSError as exc:
        yield IngestFailure(as_text(str(folder)), f"cannot read folder: {exc.strerror or exc}")
        return
    for child in children:
        if child.name.startswith("."):
            continue
        if (problem := _not_a_file(child)) is not None:
            yield IngestFailure(as_text(str(child)), problem)
        elif child.is_dir():
            yield from _entries_under(child, seen)
        else:
            yield child


def files_under(folder: Path) -> Iterator[str]:
    """What ingest of a folder reads, one input at a time (for the task queue): each file it has a
    reader for, and each entry it cannot read (whose own ingest then says why)."""
    for entry in _entries_under(folder):
        if isinstance(entry, IngestFailure):
            yield entry.origin
        elif reader_for(entry) is not None:
            yield str(entry)


def _read_file(file: Path, options: SourceOptions, fetcher: Fetcher | None, explicit: bool, stats: SourceStats) -> Iterator[Item]:
    reader = reader_for(file)
    if reader is None:
        if explicit:
            yield IngestFailure(as_text(str(file)), f"unsupported file type '{as_text(''.join(file.suffixes)) or 'none'}': "
                                                         f"expected one of {', '.join(sorted(READERS))} (optionally .gz)")
        else:
            stats.skipped_unsupported.append(as_text(str(file)))
        return
    given = _sidecar(file).merged_over(options.given)
    yield from reader(file, given, options, fetcher)


def _guarded(origin: str, items: Iterator[Item]) -> Iterator[Item]:
    """The items of one input; whatever it raises ends that input alone, as its recorded failure."""
    try:
        yield from items
    except IngestError as exc:
        yield IngestFailure(origin, str(exc))
    except Exception as exc:  # a bug on one input must not cost the batch; it is reported like any failure
        yield IngestFailure(origin, f"unexpected error ({type(exc).__name__}: {str(exc)[:200]}); please report it")


def _path_items(name: str, options: SourceOptions, fetcher: Fetcher | None, stats: SourceStats) -> Iterator[Item]:
    path = Path(name)
    if not path.exists() and not path.is_symlink():
        yield IngestFailure(as_text(name), "no such file or directory")
        return
    if (problem := _not_a_file(path)) is not None:
        yield IngestFailure(as_text(name), problem)
        return
    if path.is_file():
        if not path.name.endswith(SIDECAR_SUFFIX):
            yield from _guarded(as_text(name), _read_file(path, options, fetcher, True, stats))
        return
    for entry in _entries_under(path):
        if isinstance(entry, IngestFailure):
            yield entry
        elif not entry.name.endswith(SIDECAR_SUFFIX):
            yield from _guarded(as_text(str(entry)), _read_file(entry, options, fetcher, False, stats))


def iter_documents(inputs: list[str], options: SourceOptions, fetcher: Fetcher | None, stats: SourceStats | None = None) -> Iterator[Item]:
    """Every raw document (or failure) behind the named inputs, in a stable order."""
    stats = stats or SourceStats()
    for name in inputs:
        if not _is_url(name):
            yield from _guarded(as_text(name), _path_items(name, options, fetcher, stats))
        elif fetcher is None:
            yield IngestFailure(name, "URL given but network fetching is off")
        else:
            yield from _guarded(name, _read_url(name, options, fetcher))


def count_inputs(inputs: list[str]) -> int | None:
    """How many files and URLs a run will read; JSONL lines and feed entries add to it as they arrive."""
    total = 0
    for name in inputs:
        path = Path(name)
        if _is_url(name) or not path.is_dir():
            total += 1
        else:
            total += sum(1 for entry in _entries_under(path) if isinstance(entry, IngestFailure) or reader_for(entry) is not None)
    return total
