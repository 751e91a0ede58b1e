"""A story's digest: its summary and topic sections, computed once when its articles change
rather than on every page view (a story of several articles encodes every sentence of them)."""

from __future__ import annotations

from functools import partial

from storyline.analysis.document import ParsedText
from storyline.records import StoredArticle, StoredParse, StoryDigest, StorySection, Translation
from storyline.stories.labels import MIN_SECTION_SENTENCES, sections, sentence_phrases
from storyline.stories.summaries import body_sentences, readable_first, story_summary


def story_sections(articles: list[StoredArticle], translations: dict[int, Translation],
                   parses: dict[int, StoredParse]) -> list[StorySection]:
    """Labelled from the articles' stored parses; a sentence no parse holds is parsed here.
    Sections gather several reports' sentences by topic; a lone report keeps its own order."""
    if len(articles) < 2:
        return []
    parsed = {i: ParsedText.from_stored(p) for i, p in parses.items()}
    found = [s for a in articles for s in body_sentences(a, translations.get(a.id))]
    return sections(readable_first(found, MIN_SECTION_SENTENCES), phrases_of=partial(sentence_phrases, parsed))


def digest(story_id: int, inputs: str, articles: list[StoredArticle], translations: dict[int, Translation],
           parses: dict[int, StoredParse]) -> StoryDigest:
    return StoryDigest(story_id, inputs, tuple(story_summary(articles, translations)),
                       tuple(story_sections(articles, translations, parses)))
