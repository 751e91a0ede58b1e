"""One article: clean text, its statements, its English (or why there is none), evidence, copies."""

from __future__ import annotations

from dataclasses import dataclass

from storyline.records import StoredArticle, StoredStatement, Translation
from storyline.store import Store


@dataclass(frozen=True)
class ArticleView:
    article: StoredArticle
    statements: list[StoredStatement]
    translation: Translation | None
    english: str  # "original", "translated by BACKEND", or why it is not translated

    def highlighted(self) -> list[list[tuple[str, StoredStatement | None]]]:
        """Each paragraph as runs of (text, the statement whose sentence it is, or None)."""
        article = self.article
        by_start = sorted({(s.start, s.end): s for s in self.statements}.values(), key=lambda s: s.start)
        paragraphs = []
        for paragraph in article.paragraphs:
            runs, cursor = [], paragraph.start
            for statement in by_start:
                if statement.start < cursor or statement.start >= paragraph.end:
                    continue
                if statement.start > cursor:
                    runs.append((article.text[cursor:statement.start], None))
                end = min(statement.end, paragraph.end)
                runs.append((article.text[statement.start:end], statement))
                cursor = end
            if cursor < paragraph.end:
                runs.append((article.text[cursor:paragraph.end], None))
            paragraphs.append(runs)
        return paragraphs


def article_view(store: Store, article_id: int) -> ArticleView | None:
    from storyline.translation.translate import untranslated_note

    article = store.article(article_id)
    if article is None:
        return None
    translation = store.translation(article_id)
    english = ("original" if article.language == "en" else f"translated by {translation.backend}" if translation
               else untranslated_note(article.language))
    return ArticleView(article, store.statements(article_ids=[article_id]), translation, english)
