"""Exports of stored articles as JSON, CSV or Markdown: one shape per format, shared by CLI and web."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from dataclasses import asdict

from storyline.records import StoredActor, StoredArticle, StoredStatement

_CSV_COLUMNS = (
    "id", "title", "outlet", "country", "language", "published", "published_method",
    "published_confidence", "word_count", "url", "origin",
)


def _article_dict(article: StoredArticle) -> dict:
    data = asdict(article)
    data["ingested_at"] = article.ingested_at.isoformat()
    data["paragraphs"] = [
        {"index": p.index, "start": p.start, "end": p.end, "kind": p.kind, "text": article.text[p.start:p.end]}
        for p in article.paragraphs
    ]
    data["removed"] = [{"text": r.text, "reason": r.reason} for r in article.removed]
    return data


def to_json(articles: list[StoredArticle], statements: list[StoredStatement] = (), actors: list[StoredActor] = ()) -> str:
    return json.dumps(
        {"articles": [_article_dict(a) for a in articles], "statements": [asdict(s) for s in statements], "actors": [asdict(a) for a in actors]},
        ensure_ascii=False, indent=2,
    )


def to_csv(articles: list[StoredArticle], statements: list[StoredStatement] = (), actors: list[StoredActor] = ()) -> str:
    """Articles, then (when there are any) statements with speaker, date and the article they cite."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=[*_CSV_COLUMNS, "text"])
    writer.writeheader()
    for article in articles:
        writer.writerow({**{c: getattr(article, c) for c in _CSV_COLUMNS}, "text": article.text})
    if statements:
        buffer.write("\n")
        columns = ("id", "article_id", "speaker", "role", "kind", "date", "date_kind", "outlet", "start", "end", "text")
        statement_writer = csv.DictWriter(buffer, fieldnames=columns)
        statement_writer.writeheader()
        for statement in statements:
            statement_writer.writerow({c: getattr(statement, c) for c in columns})
    return buffer.getvalue()


def to_markdown(articles: list[StoredArticle], statements: list[StoredStatement] = (), actors: list[StoredActor] = ()) -> str:
    parts = ["# Storyline export", ""]
    for article in articles:
        parts += [
            f"## {article.title or '(untitled)'}",
            "",
            f"- Outlet: {article.outlet or 'unknown'}{' (state-affiliated)' if article.outlet_state_affiliated else ''}",
            f"- Country: {article.country or 'unknown'} · Language: {article.language or 'unknown'}",
            f"- Published: {article.published or 'unknown'} ({article.published_evidence})",
            f"- Source: {article.url or article.origin}",
            "",
            *[f"{'### ' if p.kind == 'heading' else ''}{article.text[p.start:p.end]}\n" for p in article.paragraphs],
        ]
        quoted = [s for s in statements if s.article_id == article.id]
        if quoted:
            parts += ["### Statements", ""]
            parts += [f"- **{s.speaker}**{f' ({s.role})' if s.role else ''}, {s.date or 'undated'}: {s.text}" for s in quoted]
            parts.append("")
    return "\n".join(parts)


EXPORTERS: dict[str, Callable[..., str]] = {"json": to_json, "csv": to_csv, "md": to_markdown}
