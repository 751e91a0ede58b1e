"""Language identification with py3langid's bundled model (97 languages, no download).

py3langid is light (a few MB, instant start) and accurate on article-length
text; probabilities are normalised so the confidence is a real share. Very
short texts get low confidence rather than a confident wrong answer.
"""

from __future__ import annotations

from functools import cache

from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier

from storyline.records import LanguageGuess

# Below this many letters a guess is too weak to keep.
_MIN_LETTERS = 20
_MIN_CONFIDENCE = 0.5


@cache
def _identifier() -> LanguageIdentifier:
    return LanguageIdentifier.from_modelpath(MODEL_DIR / MODEL_FILE, norm_probs=True)


def identify_language(text: str) -> LanguageGuess:
    sample = text[:5000]
    if sum(ch.isalpha() for ch in sample) < _MIN_LETTERS:
        return LanguageGuess(code=None, confidence=0.0)
    code, probability = _identifier().classify(sample)
    probability = float(probability)
    return LanguageGuess(code=code if probability >= _MIN_CONFIDENCE else None, confidence=round(probability, 4))
