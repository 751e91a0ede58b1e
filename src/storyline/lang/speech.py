"""What a language module tells the pattern reader of reported speech, and which languages have one."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache


@dataclass(frozen=True)
class SpeechRules:
    verbs: str  # inflected reporting verbs, as a regex alternation
    that: str  # the complementiser that opens reported speech
    according: str  # "according to", followed by the speaker
    roles: str  # role nouns, lower case
    genitive: tuple[tuple[str, str], ...] = ()  # surname endings after "according to", to the nominative
    not_names: frozenset[str] = frozenset()  # capitalised words at a sentence's start that name no one
    prepositions: str = ""  # before a two-word name, they make it a place ("в Києві"), as a regex alternation
    min_name_words: int = 1  # 2 where every noun is capitalised (German), so "Polizei" is no name
    drops_subject: bool = False  # "Recordó que …" goes on with the speaker before (Spanish, Portuguese, Italian)


@lru_cache(maxsize=1)
def speech_rules() -> dict[str, SpeechRules]:
    """Rules by language code; a language gets rules by adding its module under lang/."""
    from storyline.lang import de, es, fr, it, pt, ru, uk

    return {"uk": uk.SPEECH, "ru": ru.SPEECH, "fr": fr.SPEECH, "es": es.SPEECH, "de": de.SPEECH, "it": it.SPEECH,
            "pt": pt.SPEECH}
