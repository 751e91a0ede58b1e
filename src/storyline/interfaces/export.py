"""Exports of the store as JSON, CSV or Markdown: one shape per format, shared by CLI and web.
CSV is one file per table (articles, statements, positions, shifts) in a zip, since a CSV
holds one table and a spreadsheet opens each on its own."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Callable
from dataclasses import asdict, dataclass, field

from storyline.provenance import position_dict, shift_dict
from storyline.records import (
    PositionPoint,
    Proposition,
    Shift,
    StoredActor,
    StoredArticle,
    StoredStatement,
)

_CSV_COLUMNS = (
    "id", "title", "outlet", "country", "language", "published", "published_method",
    "published_confidence", "word_count", "url", "origin",
)


@dataclass
class Bundle:
    """Everything an export can hold; each format writes the parts that are not empty."""

    articles: list[StoredArticle]
    statements: list[StoredStatement] = field(default_factory=list)
    actors: list[StoredActor] = field(default_factory=list)
    propositions: list[Proposition] = field(default_factory=list)
    positions: list[PositionPoint] = field(default_factory=list)
    shifts: list[Shift] = field(default_factory=list)


def _article_dict(article: StoredArticle) -> dict:
    data = asdict(article)
    data["ingested_at"] = article.ingested_at.isoformat()
    data["paragraphs"] = [
        {"index": p.index, "start": p.start, "end": p.end, "kind": p.kind, "language": p.language or article.language,
         "text": article.text[p.start:p.end]}
        for p in article.paragraphs
    ]
    data["removed"] = [{"text": r.text, "reason": r.reason} for r in article.removed]
    return data


def to_json(bundle: Bundle) -> str:
    return json.dumps(
        {"articles": [_article_dict(a) for a in bundle.articles], "statements": [asdict(s) for s in bundle.statements],
         "actors": [asdict(a) for a in bundle.actors], "propositions": [asdict(p) for p in bundle.propositions],
         "positions": [position_dict(p) for p in bundle.positions], "shifts": [shift_dict(s) for s in bundle.shifts]},
        ensure_ascii=False, indent=2,
    )


def _cell(value):
    """A spreadsheet runs a cell that opens with = + - @ (or a tab or return before one) as a
    formula: such text, a title crafted as =HYPERLINK(...) say, is written with a quote before it (OWASP)."""
    return "'" + value if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def _safe(row: dict) -> dict:
    return {key: _cell(value) for key, value in row.items()}


def _csv_table(rows: list[dict], columns: tuple[str, ...]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(columns))
    writer.writeheader()
    writer.writerows(_safe(row) for row in rows)
    return buffer.getvalue()


_STATEMENT_COLUMNS = ("id", "article_id", "speaker", "role", "kind", "date", "date_kind", "outlet", "start", "end", "text")
_POSITION_COLUMNS = ("proposition_id", "actor", "actor_id", "stance", "confidence", "decided_by", "date", "date_kind", "statement_id",
                     "statement", "sentence", "article_id", "start", "end", "outlet", "country")  # position_dict's keys
_SHIFT_COLUMNS = ("kind", "proposition_id", "actor", "from", "to", "from_date", "to_date", "from_statement_id", "to_statement_id",
                  "reason", "reported")


def csv_tables(bundle: Bundle) -> dict[str, str]:
    """One CSV per table, by file name; every table is there, with its header, even when empty."""
    positions = [{**row, "decided_by": "; ".join(row["decided_by"])} for row in map(position_dict, bundle.positions)]
    return {
        "articles.csv": _csv_table([{**{c: getattr(a, c) for c in _CSV_COLUMNS}, "text": a.text} for a in bundle.articles],
                                   (*_CSV_COLUMNS, "text")),
        "statements.csv": _csv_table([{c: getattr(s, c) for c in _STATEMENT_COLUMNS} for s in bundle.statements], _STATEMENT_COLUMNS),
        "positions.csv": _csv_table(positions, _POSITION_COLUMNS),
        "shifts.csv": _csv_table([{"kind": s.kind, "proposition_id": s.proposition_id, "actor": s.actor, "from": s.before.stance,
                                   "to": s.after.stance, "from_date": s.before.statement.date, "to_date": s.after.statement.date,
                                   "from_statement_id": s.before.statement.id, "to_statement_id": s.after.statement.id,
                                   "reason": s.reason, "reported": s.reported} for s in bundle.shifts], _SHIFT_COLUMNS),
    }


def to_csv(bundle: Bundle) -> bytes:
    """The tables of `csv_tables` as one zip."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, table in csv_tables(bundle).items():
            archive.writestr(name, table)
    return buffer.getvalue()


def to_markdown(bundle: Bundle) -> str:
    parts = ["# Storyline export", ""]
    for article in bundle.articles:
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
        quoted = [s for s in bundle.statements if s.article_id == article.id]
        if quoted:
            parts += ["### Statements", ""]
            parts += [f"- **{s.speaker}**{f' ({s.role})' if s.role else ''}, {s.date or 'undated'}: {s.text}" for s in quoted]
            parts.append("")
    for proposition in bundle.propositions:
        points = [p for p in bundle.positions if p.proposition_id == proposition.id]
        parts += [f"## Positions: {proposition.text}", ""]
        parts += [f"- {p.statement.date or 'undated'} · **{p.statement.speaker}** · {p.stance} ({p.confidence:.2f}) · "
                  f"{p.statement.outlet or 'outlet unknown'}, article {p.statement.article_id}: “{p.statement.text}”" for p in points]
        parts.append("")
        shifts = [s for s in bundle.shifts if s.proposition_id == proposition.id]
        if shifts:
            parts += ["### Shifts and contradictions", ""]
            parts += [f"- {s.kind}: **{s.actor}** {s.reason}" + (f" (reported: “{s.reported}”)" if s.reported else "") for s in shifts]
            parts.append("")
    return "\n".join(parts)


EXPORTERS: dict[str, Callable[[Bundle], str | bytes]] = {"json": to_json, "csv": to_csv, "md": to_markdown}
MEDIA_TYPES = {"json": "application/json", "csv": "application/zip", "md": "text/markdown; charset=utf-8"}
FILE_NAMES = {"json": "storyline.json", "csv": "storyline-csv.zip", "md": "storyline.md"}


def export_store(store, format: str) -> str | bytes:
    """The whole store in one of EXPORTERS' formats: what `storyline export` writes and the web offers."""
    from storyline.positions.queries import shifts as find_shifts

    return EXPORTERS[format](Bundle(store.articles(with_text=True), store.statements(), store.actors(), store.propositions(),
                                    store.positions(), find_shifts(store)))
