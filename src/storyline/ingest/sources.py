"""Turn what the user names (files, folders, JSONL, URLs, feeds) into raw documents.

Readers are looked up by file suffix in ``READERS``; a URL is fetched and
sniffed (feed or page). Problems with one input come out as ``IngestFailure``
items in the same stream, so one bad input never stops a batch.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import feedparser

from storyline.ingest.decoding import maybe_gunzip
from storyline.ingest.errors import IngestError
from storyline.ingest.fetch import Fetcher
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
        raise IngestError(f"{where}: unknown field(s) {', '.join(sorted(unknown))}; known: {', '.join(sorted(_GIVEN_FIELDS | {'text', 'html'}))}")
    values = {k: (str(v) if v is not None else None) for k, v in mapping.items() if k in _GIVEN_FIELDS}
    if values.get("published"):
        values.setdefault("published_source", where)
    return GivenMetadata(**values)


def _sidecar(path: Path) -> GivenMetadata:
    sidecar = path.with_name(path.name + SIDECAR_SUFFIX)
    if not sidecar.exists():
        return GivenMetadata()
    try:
        mapping = json.loads(sidecar.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise IngestError(f"unreadable sidecar {sidecar.name}: {exc}") from exc
    if not isinstance(mapping, dict):
        raise IngestError(f"sidecar {sidecar.name} must hold a JSON object")
    return _given_from_mapping(mapping, f"sidecar {sidecar.name}")


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
        yield RawDocument(origin=str(path), data=_read_bytes(path, options.max_bytes), kind_hint=kind, given=given)

    return read


def _read_jsonl(path: Path, given: GivenMetadata, options: SourceOptions, _fetcher: Fetcher | None) -> Iterator[Item]:
    data = _read_bytes(path, options.max_bytes * 100)
    for number, line in enumerate(data.splitlines(), start=1):
        origin = f"{path}#line{number}"
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            if not isinstance(record, dict):
                raise IngestError("each line must be a JSON object")
            body = record.get("html") or record.get("text")
            if not body or not str(body).strip():
                raise IngestError("no 'text' or 'html' field with content")
            line_given = _given_from_mapping(record, f"JSONL {path.name} line {number}").merged_over(given)
        except json.JSONDecodeError as exc:
            yield IngestFailure(origin, f"invalid JSON: {exc.msg} at column {exc.colno}")
            continue
        except IngestError as exc:
            yield IngestFailure(origin, str(exc))
            continue
        yield RawDocument(
            origin=origin,
            data=str(body).encode("utf-8"),
            kind_hint="html" if record.get("html") else "text",
            given=line_given,
        )


def _looks_like_feed(data: bytes, content_type: str | None) -> bool:
    kind = (content_type or "").lower()
    if any(marker in kind for marker in ("rss", "atom", "rdf")):
        return True
    head = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith((b"<rss", b"<feed", b"<rdf")) or (head.startswith(b"<?xml") and any(t in head for t in (b"<rss", b"<feed", b"<rdf")))


def _feed_entries(data: bytes, origin: str, given: GivenMetadata, options: SourceOptions, fetcher: Fetcher | None) -> Iterator[Item]:
    parsed = feedparser.parse(data)
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
            yield RawDocument(origin=link or f"{origin}#entry{number}", data=content.encode("utf-8"), kind_hint="html", given=entry_given)
        else:
            yield IngestFailure(link or f"{origin}#entry{number}", "feed entry has neither a fetchable link nor full content")


def _read_feed_file(path: Path, given: GivenMetadata, options: SourceOptions, fetcher: Fetcher | None) -> Iterator[Item]:
    yield from _feed_entries(_read_bytes(path, options.max_bytes), str(path), given, options, fetcher)


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


def _files_under(folder: Path) -> Iterator[Path]:
    for path in sorted(folder.rglob("*")):
        if path.is_file() and not any(part.startswith(".") for part in path.relative_to(folder).parts):
            yield path


def iter_documents(inputs: list[str], options: SourceOptions, fetcher: Fetcher | None, stats: SourceStats | None = None) -> Iterator[Item]:
    """Every raw document (or failure) behind the named inputs, in a stable order."""
    stats = stats or SourceStats()
    for name in inputs:
        if _is_url(name):
            if fetcher is None:
                yield IngestFailure(name, "URL given but network fetching is off")
                continue
            try:
                yield from _read_url(name, options, fetcher)
            except IngestError as exc:
                yield IngestFailure(name, str(exc))
            continue
        path = Path(name)
        if not path.exists():
            yield IngestFailure(name, "no such file or directory")
            continue
        explicit = path.is_file()
        for file in [path] if explicit else _files_under(path):
            if file.name.endswith(SIDECAR_SUFFIX):
                continue
            reader = reader_for(file)
            if reader is None:
                if explicit:
                    yield IngestFailure(str(file), f"unsupported file type '{''.join(file.suffixes) or 'none'}': expected one of {', '.join(sorted(READERS))} (optionally .gz)")
                else:
                    stats.skipped_unsupported.append(str(file))
                continue
            try:
                given = _sidecar(file).merged_over(options.given)
                yield from reader(file, given, options, fetcher)
            except IngestError as exc:
                yield IngestFailure(str(file), str(exc))


def count_inputs(inputs: list[str]) -> int | None:
    """How many files and URLs a run will read; JSONL lines and feed entries add to it as they arrive."""
    total = 0
    for name in inputs:
        path = Path(name)
        if _is_url(name) or path.is_file() or not path.exists():
            total += 1
        else:
            total += sum(1 for file in _files_under(path) if reader_for(file) is not None)
    return total
