"""Sentence spans in any script: a stop, then space, then a capital (or an opening quote and a
capital). Abbreviations such as "Mr." or "ст." are the price of having no per-language model."""

from __future__ import annotations

import re

_BOUNDARY = re.compile(r"[.!?…。！？]+[\"'»”’)\]]*\s+")
_OPENERS = "\"'«„“‘(["
_ABBREVIATION = re.compile(r"\b(?:[A-ZА-ЯЁЄІЇҐ][a-zа-яёєіїґ]{0,2}|\w)\.$")


def sentence_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """(start, end) of each sentence of text[start:end], trimmed of surrounding space."""
    end = len(text) if end is None else end
    spans, cursor = [], start
    for match in _BOUNDARY.finditer(text, start, end):
        following = text[match.end():match.end() + 2].lstrip(_OPENERS)[:1]
        before = text[max(cursor, match.start() - 4):match.start() + 1]
        if following and (following.isupper() or following.isdigit()) and not _ABBREVIATION.search(before):
            spans.append((cursor, match.end()))
            cursor = match.end()
    spans.append((cursor, end))
    trimmed = []
    for a, b in spans:
        piece = text[a:b]
        a, b = a + len(piece) - len(piece.lstrip()), b - (len(piece) - len(piece.rstrip()))
        if b > a:
            trimmed.append((a, b))
    return trimmed
