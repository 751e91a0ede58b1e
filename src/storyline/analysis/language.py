"""Language identification with py3langid's bundled model (97 languages, no download).

py3langid is light (a few MB, instant start) and as accurate as the heavier lingua on our
page-level evaluation (`python -m bench.language`); probabilities are normalised so the
confidence is a real share. Very short texts get low confidence rather than a confident wrong
answer.

Pages mix languages: a Ukrainian agency's English edition quotes a Ukrainian sentence, an
aggregator leaves the original lead above its translation. So each paragraph gets its own
guess, and the article's language is the one most of its letters are written in. Paragraphs
too short to judge (a byline, a caption) get no language of their own; readers of the record
take the article's.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from functools import cache

from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier

from storyline.records import LanguageGuess, Paragraph
from storyline.settings import settings


@cache
def _identifier() -> LanguageIdentifier:
    return LanguageIdentifier.from_modelpath(MODEL_DIR / MODEL_FILE, norm_probs=True)


def _letters(text: str) -> int:
    return sum(ch.isalpha() for ch in text)


def identify_language(text: str) -> LanguageGuess:
    sample = text[:5000]
    if _letters(sample) < settings().language.min_letters:
        return LanguageGuess(code=None, confidence=0.0)
    code, probability = _identifier().classify(sample)
    probability = float(probability)
    return LanguageGuess(code=code if probability >= settings().language.min_confidence else None, confidence=round(probability, 4))


def identify_languages(text: str, paragraphs: tuple[Paragraph, ...]) -> tuple[LanguageGuess, tuple[Paragraph, ...]]:
    """The article's language and its paragraphs, each with a language of its own.

    The article's confidence is the mean paragraph confidence, weighted by letters in the
    winning language, times that language's share of letters: a page half in another
    language is not a confident guess of either."""
    guesses = [identify_language(text[p.start:p.end]) if _letters(text[p.start:p.end]) >= settings().language.paragraph_min_letters else None
               for p in paragraphs]
    weights: Counter[str] = Counter()
    confidence: Counter[str] = Counter()
    for paragraph, guess in zip(paragraphs, guesses, strict=True):
        if guess is not None and guess.code is not None:
            letters = _letters(text[paragraph.start:paragraph.end])
            weights[guess.code] += letters
            confidence[guess.code] += letters * guess.confidence
    if not weights:
        return identify_language(text), paragraphs
    code, letters = weights.most_common(1)[0]
    share = letters / sum(weights.values())
    article = LanguageGuess(code=code, confidence=round(confidence[code] / letters * share, 4))
    tagged = tuple(replace(p, language=guess.code if guess is not None else None) for p, guess in zip(paragraphs, guesses, strict=True))
    return article, tagged

