"""Clean plain-text dumps of news pages: keep the body, hand metadata lines on, drop the rest.

Copy-pasted or scraped text arrives with the page's furniture: app promos, ad
markers, reading-time badges, teasers for the previous and next article,
captions, social footers and paragraphs pasted twice. The cleaner works from
general signals first: where a line sits (before the first body sentence,
after the last), its shape (short, no sentence punctuation, title case, runs
of such lines that look like a menu), repetition (inside the article, and
across other articles of the same outlet). A small vocabulary of promo words
only confirms what shape already suggests; it is never the sole test.

Every dropped line is kept with its reason, so ``storyline show`` can explain
the clean text.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field

from storyline.ingest.dates import find_dateline
from storyline.lang.en import FURNITURE_WORDS
from storyline.records import ExtractedText, Paragraph, RemovedLine
from storyline.settings import settings

_SENTENCE_END = re.compile(r"[.!?…。！？][\"'”’»)\]」』]*$|[\"”»」』]$")
_WORD = re.compile(r"[^\W_]+(?:[’'\-][^\W_]+)*")
# Scripts written without spaces: about two characters make a word for the length tests.
_UNSPACED = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\u0e00-\u0e7f]")
_BULLET = re.compile(r"^\s*(?:[•·▪●◦‣\-*–]|\d{1,2}[.)])\s+")
_FURNITURE = re.compile(FURNITURE_WORDS, re.I)
_CREDIT = re.compile(
    r"(?:\b(?:AFP|Getty Images|Reuters|AP Photo|Associated Press|EPA|Shutterstock|Anadolu|TASS|Sputnik|Xinhua|"
    r"Bloomberg|Alamy|Photo(?:graph)?|Image|Credit|Picture)\b[^.!?]{0,40}|[A-Z]{2,}(?:\s+[A-Z]{2,})*/[A-Z][\w .&/-]+)$"
)
_CREDIT_TAIL = 120
_CAPTION_PREFIX = re.compile(r"^(?:photo|image|picture|credit|caption|file photo)\s*[:|]", re.I)
_FIELD_LABEL = re.compile(r"^(?:meta|title|headline|subject|heading)\s*:\s*", re.I)


def normalise_line(line: str) -> str:
    text = unicodedata.normalize("NFKC", line).casefold()
    text = re.sub(r"[’‘`´]", "'", text)
    text = re.sub(r"[“”«»„]", '"', text)
    return re.sub(r"\s+", " ", text).strip()


def line_fingerprint(line: str) -> str:
    """A stable key for a line, used to spot an outlet's recurring furniture across articles."""
    return hashlib.blake2b(normalise_line(line).encode(), digest_size=8).hexdigest()


def words(line: str) -> list[str]:
    return _WORD.findall(line)


def word_count(line: str) -> int:
    unspaced = len(_UNSPACED.findall(line))
    if not unspaced:
        return len(words(line))
    return len(words(_UNSPACED.sub(" ", line))) + unspaced // 2


def is_title_case(line: str) -> bool:
    long_words = [w for w in words(line) if len(w) >= 4]
    return bool(long_words) and sum(w[0].isupper() for w in long_words) / len(long_words) >= 0.7


def is_prose(line: str, min_words: int | None = None) -> bool:
    stripped = _BULLET.sub("", line).strip()
    return word_count(stripped) >= (min_words or settings().textclean.body_min_words) and bool(_SENTENCE_END.search(stripped)) and not is_title_case(stripped)


def is_strong_body(line: str) -> bool:
    return is_prose(line, settings().textclean.strong_body_min_words) and not is_caption(line) and find_dateline(line) is None


def is_short(line: str) -> bool:
    return word_count(line) <= settings().textclean.short_line_max_words and not _SENTENCE_END.search(line.strip())


def is_furniture(line: str) -> bool:
    """Short line with promo vocabulary, or a bare marker token such as 'AD'."""
    tokens = words(line)
    if len(tokens) <= 2 and all(len(t) <= 3 and t.isupper() for t in tokens) and tokens:
        return True
    return word_count(line) <= settings().textclean.short_line_max_words and bool(_FURNITURE.search(line))


def is_caption(line: str) -> bool:
    stripped = line.strip()
    # A credit ends the line and is short: searching only the tail keeps the pattern linear in the line.
    return bool(_CAPTION_PREFIX.match(stripped)) or (word_count(stripped) >= 4 and bool(_CREDIT.search(stripped[-_CREDIT_TAIL:])))


def _join_wrapped(lines: list[str]) -> list[str]:
    """Undo hard wrapping: a line that breaks mid-sentence continues on the next lower-case line."""
    joined: list[str] = []
    for line in lines:
        if (
            joined
            and joined[-1]
            and line
            and line[0].islower()
            and len(joined[-1]) > 50
            and not _SENTENCE_END.search(joined[-1])
        ):
            joined[-1] = f"{joined[-1]} {line.strip()}"
        else:
            joined.append(line)
    return joined


@dataclass
class _Cleaning:
    lines: list[str]
    known_boilerplate: frozenset[str]
    removed: dict[int, str] = field(default_factory=dict)

    def drop(self, index: int, reason: str) -> None:
        self.removed.setdefault(index, reason)

    def kept(self, indices: range) -> list[int]:
        return [i for i in indices if i not in self.removed and self.lines[i].strip()]


def _body_bounds(lines: list[str]) -> tuple[int, int] | None:
    strong = [i for i, line in enumerate(lines) if is_strong_body(line)]
    if not strong:
        prose = [i for i, line in enumerate(lines) if is_prose(line)]
        if not prose:
            return None
        strong = prose
    first, last = strong[0], strong[-1]
    # A shorter prose line before the first strong one is still body (a one-sentence lede).
    while first > 0:
        previous = next((j for j in range(first - 1, -1, -1) if lines[j].strip()), None)
        if previous is None or not is_prose(lines[previous]) or is_furniture(lines[previous]) or find_dateline(lines[previous]):
            break
        first = previous
    # After the last strong paragraph, prose continues the body until the first non-prose line.
    end = last + 1
    for j in range(last + 1, len(lines)):
        line = lines[j]
        if not line.strip():
            continue
        if is_prose(line, 5) and not is_furniture(line) and not is_caption(line) and find_dateline(line) is None:
            end = j + 1
            continue
        break
    return first, end


def _footer_marker_cut(cleaning: _Cleaning, start: int, end: int) -> int:
    """A furniture line in the second half ends the body, unless a substantial paragraph follows it."""
    midpoint = start + (end - start) // 2
    for i in range(midpoint, end):
        line = cleaning.lines[i]
        if line.strip() and is_furniture(line) and is_short(line):
            after = cleaning.lines[i + 1:end]
            if not any(word_count(a) >= settings().textclean.substantial_words and not _BULLET.match(a) for a in after):
                return i
    return end


def _mark_menus(cleaning: _Cleaning, indices: list[int]) -> None:
    """Runs of three or more short, unpunctuated lines are menus or link lists."""
    run: list[int] = []
    for i in [*indices, None]:
        if i is not None and is_short(cleaning.lines[i]) and not find_dateline(cleaning.lines[i]):
            run.append(i)
            continue
        if len(run) >= settings().textclean.menu_run:
            for j in run:
                cleaning.drop(j, "link list or menu (a run of short unpunctuated lines)")
        run = []


def _mark_body_noise(cleaning: _Cleaning, body: list[int], layout_known: bool = False) -> None:
    """Drop furniture, duplicates and captions; unless an HTML extractor already used the page layout,
    also repeated short lines and menus (in extracted HTML these are tables and lists, i.e. content)."""
    lines = cleaning.lines
    short_counts = Counter(normalise_line(lines[i]) for i in body if is_short(lines[i]))
    recent_paragraphs: list[str] = []
    for position, i in enumerate(body):
        line = lines[i]
        key = normalise_line(line)
        if line_fingerprint(line) in cleaning.known_boilerplate and word_count(line) <= settings().textclean.known_boilerplate_max_words:
            cleaning.drop(i, "recurs in other articles of this outlet")
        elif is_furniture(line):
            cleaning.drop(i, "page furniture (ad, promo or navigation line)")
        elif not layout_known and is_short(line) and short_counts[key] > 1:
            cleaning.drop(i, "short line repeated inside the article")
        elif key in recent_paragraphs[-settings().textclean.duplicate_window:] and word_count(line) >= settings().textclean.duplicate_min_words:
            cleaning.drop(i, "duplicate of an earlier paragraph")
        elif is_caption(line):
            cleaning.drop(i, "photo caption")
            previous = body[position - 1] if position else None
            if previous is not None and is_short(lines[previous]) and word_count(lines[previous]) <= 5:
                cleaning.drop(previous, "photo caption heading")
        elif (dateline := find_dateline(line)) is not None:
            cleaning.drop(i, f"{dateline.kind.replace('-', ' ')} inside the body")
        recent_paragraphs.append(key)
    if body and not layout_known:
        _mark_menus(cleaning, cleaning.kept(range(body[0], body[-1] + 1)))


def _pick_title(cleaning: _Cleaning, header: list[int]) -> tuple[int | None, str | None]:
    candidates = [
        i
        for i in header
        if not is_furniture(cleaning.lines[i])
        and find_dateline(cleaning.lines[i]) is None
        and line_fingerprint(cleaning.lines[i]) not in cleaning.known_boilerplate
        and word_count(cleaning.lines[i]) >= 3
    ]
    if not candidates:
        return None, None
    best = max(candidates, key=lambda i: (word_count(cleaning.lines[i]), -i))
    return best, _FIELD_LABEL.sub("", cleaning.lines[best].strip())


def _split_lines(text: str) -> list[str]:
    raw_lines = [line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    return _join_wrapped([unicodedata.normalize("NFC", line).replace("\u00a0", " ") for line in raw_lines])


def _assemble(cleaning: _Cleaning, span: range, **metadata: object) -> ExtractedText:
    paragraphs: list[Paragraph] = []
    chunks: list[str] = []
    offset = 0
    for i in cleaning.kept(span):
        chunk = cleaning.lines[i].strip()
        kind = "body" if is_prose(chunk, 3) or _BULLET.match(chunk) else "heading"
        paragraphs.append(Paragraph(index=len(paragraphs), start=offset, end=offset + len(chunk), kind=kind))
        chunks.append(chunk)
        offset += len(chunk) + 2
    removed = tuple(
        RemovedLine(cleaning.lines[i].strip(), reason) for i, reason in sorted(cleaning.removed.items()) if reason != "title"
    )
    return ExtractedText(text="\n\n".join(chunks), paragraphs=tuple(paragraphs), removed=removed, **metadata)


def clean_body(text: str, known_boilerplate: frozenset[str] = frozenset()) -> ExtractedText:
    """The in-body pass alone, for text an HTML extractor already separated from the page around it."""
    cleaning = _Cleaning(lines=_split_lines(text), known_boilerplate=known_boilerplate)
    everything = range(len(cleaning.lines))
    _mark_body_noise(cleaning, cleaning.kept(everything), layout_known=True)
    return _assemble(cleaning, everything)


def clean_text(text: str, known_boilerplate: frozenset[str] = frozenset()) -> ExtractedText:
    """Split a plain-text dump into title, header/footer metadata lines and clean body paragraphs."""
    lines = _split_lines(text)
    cleaning = _Cleaning(lines=lines, known_boilerplate=known_boilerplate)
    bounds = _body_bounds(lines)
    if bounds is None:
        return ExtractedText(text="", paragraphs=(), removed=tuple(RemovedLine(line.strip(), "no prose") for line in lines if line.strip()))
    start, end = bounds
    end = _footer_marker_cut(cleaning, start, end)
    header = cleaning.kept(range(0, start))
    footer = cleaning.kept(range(end, len(lines)))
    title_index, title = _pick_title(cleaning, header)
    for i in header:
        if i == title_index:
            cleaning.drop(i, "title")
        elif title and normalise_line(_FIELD_LABEL.sub("", lines[i])) == normalise_line(title):
            cleaning.drop(i, "repeats the title")
        else:
            cleaning.drop(i, "header line before the article body")
    for i in footer:
        cleaning.drop(i, "footer after the article body")
    for i in cleaning.kept(range(start, end)):
        if title and normalise_line(lines[i]) == normalise_line(title):
            cleaning.drop(i, "repeats the title")
    _mark_body_noise(cleaning, cleaning.kept(range(start, end)))
    return _assemble(
        cleaning,
        range(start, end),
        title=title,
        header_lines=tuple(lines[i].strip() for i in header),
        footer_lines=tuple(lines[i].strip() for i in footer),
    )
