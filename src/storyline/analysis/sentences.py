"""The one sentence splitter, for every stage and every script.

A boundary is a stop, then space, then a capital or a digit (after any opening quote), unless the
stop ends a short abbreviation ("Mr.", "U.S.", "ст."). A stop inside a number ("S$110.5", "99.9")
or a name ("U.S.") never splits, since a boundary needs space after the stop. Line breaks end a
sentence too: a heading or a list item is a sentence of its own.
"""

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


def sentences_of(text: str) -> list[tuple[int, int]]:
    """Sentence spans of a whole text whose lines are paragraphs."""
    spans, line_start = [], 0
    for line in text.split("\n"):
        spans.extend(sentence_spans(text, line_start, line_start + len(line)))
        line_start += len(line) + 1
    return spans


def split_sentences(text: str) -> list[str]:
    return [text[a:b] for a, b in sentences_of(text)]
