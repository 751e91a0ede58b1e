"""The document model: an article's English text, parsed once, paragraph by paragraph, and kept.

Statements are found in this parse; stances and story labels read it back from the store rather
than parse the same words again. The parse is stored (a spaCy DocBin) with the analysis version
that made it, so a new extractor parses afresh and nothing else ever does. Its text is the
article's own where the article is English, else its English translation (`source` says which).
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc, DocBin, Span

from storyline.analysis.statements import load_pipeline
from storyline.records import StoredParse, TextSource


@dataclass
class ParsedText:
    article_id: int
    source: TextSource
    offsets: tuple[int, ...]  # where each paragraph starts in its text
    paragraphs: list[Doc]
    title: Doc | None

    def paragraph_at(self, offset: int) -> tuple[int, Doc] | None:
        """(start, parse) of the paragraph holding a character offset of the text."""
        for start, doc in zip(self.offsets, self.paragraphs, strict=True):
            if start <= offset < start + _length(doc):
                return start, doc
        return None

    def span(self, start: int, end: int) -> Span | None:
        """The tokens covering text[start:end], if one paragraph holds them."""
        found = self.paragraph_at(start)
        if found is None or end > found[0] + _length(found[1]):
            return None
        return found[1].char_span(start - found[0], end - found[0], alignment_mode="expand")

    def find(self, words: str, near: int | None = None) -> Span | None:
        """Where `words` stand: from offset `near` on in its paragraph, or, with no offset (a
        statement's words in a translation), in the first paragraph that has them."""
        candidates = [found] if near is not None and (found := self.paragraph_at(near)) else []
        if near is None:
            candidates = list(zip(self.offsets, self.paragraphs, strict=True))
        for start, doc in candidates:
            at = doc.text.find(words, max(0, (near or 0) - start))
            if at >= 0:
                return doc.char_span(at, at + len(words), alignment_mode="expand")
        return None

    def stored(self) -> StoredParse:
        docs = ([self.title] if self.title is not None else []) + self.paragraphs
        return StoredParse(self.article_id, self.source, self.offsets, self.title is not None,
                           DocBin(docs=docs, store_user_data=False).to_bytes())

    @classmethod
    def from_stored(cls, stored: StoredParse) -> ParsedText:
        docs = list(DocBin().from_bytes(stored.data).get_docs(load_pipeline().vocab))
        title = docs.pop(0) if stored.has_title else None
        return cls(stored.article_id, stored.source, stored.offsets, docs, title)


def _length(doc: Doc) -> int:
    """len(doc.text), without joining every token's text again (a story page asks it thousands of times)."""
    return doc[-1].idx + len(doc[-1].text_with_ws) if len(doc) else 0


def standalone(span: Span) -> Doc:
    """A span as a document of its own, as if parsed alone: a token whose head lay outside the
    span heads it now, and is labelled its root (spaCy's as_doc keeps the old label)."""
    doc = span.as_doc()
    for token in doc:
        if token.head.i == token.i:
            token.dep_ = "ROOT"
    return doc


def parse_text(article_id: int, source: TextSource, text: str, paragraphs: list[tuple[int, int]],
               title: str | None = None) -> ParsedText:
    """One pass of the pipeline over the title and every paragraph."""
    texts = ([title] if title else []) + [text[start:end] for start, end in paragraphs]
    docs = list(load_pipeline().pipe(texts))
    heading = docs.pop(0) if title else None
    return ParsedText(article_id, source, tuple(start for start, _end in paragraphs), docs, heading)
