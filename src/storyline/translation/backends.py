"""Translators into English, each behind the same small interface, tried in registry order.

- Apertium (Debian packages `apertium` and `apertium-eng-spa` and the like): rule-based,
  offline, rough; covers Spanish, Catalan, Galician, Basque, Esperanto, Serbo-Croatian,
  Icelandic and Macedonian into English where the pair is installed.
- Argos Translate: neural models the user installs from disk (`storyline models add
  FILE.argosmodel`); the package is optional (`pip install storyline[argos]`), and no model
  ships with it.
- LibreTranslate: a server the user runs, by URL (`--libretranslate URL` or the
  STORYLINE_LIBRETRANSLATE_URL environment variable).

A language no backend covers is not an error: the article keeps its original text and is
clustered across languages by the multilingual embeddings.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Protocol

import httpx

# ISO 639-1 (what language identification gives) to the ISO 639-3 codes Apertium names pairs by.
_APERTIUM_CODES = {"es": "spa", "ca": "cat", "gl": "glg", "eu": "eus", "eo": "epo", "is": "isl", "mk": "mkd",
                   "hr": "hbs", "sr": "hbs", "bs": "hbs"}


class TranslationError(RuntimeError):
    """A backend that should have translated could not (a crashed process, a server error)."""


class Backend(Protocol):
    name: str

    def languages(self) -> set[str]:
        """ISO 639-1 codes this backend can put into English."""

    def translate(self, language: str, segments: list[str]) -> list[str]:
        """One English segment per input segment, in order."""


@dataclass
class Apertium:
    name: str = "apertium"
    command: str = "apertium"

    @cached_property
    def _modes(self) -> dict[str, str]:
        """Language -> installed mode into English ("spa-eng")."""
        if not shutil.which(self.command):
            return {}
        listed = subprocess.run([self.command, "-l"], capture_output=True, text=True, timeout=30).stdout.split()
        # Older pairs are named with two-letter codes ("gl-en"), newer ones with three ("spa-eng").
        candidates = {language: (f"{code}-eng", f"{language}-en") for language, code in _APERTIUM_CODES.items()}
        return {language: mode for language, modes in candidates.items() for mode in modes if mode in listed}

    def languages(self) -> set[str]:
        return set(self._modes)

    def translate(self, language: str, segments: list[str]) -> list[str]:
        # One segment a line; Apertium keeps line breaks as they are. "-u" drops the marks it
        # puts on words it does not know, which stay in the original language.
        lines = "\n".join(" ".join(s.split()) for s in segments)
        done = subprocess.run([self.command, "-u", self._modes[language]], input=lines, capture_output=True,
                              text=True, timeout=max(60, len(lines) // 200))
        out = done.stdout.rstrip("\n").split("\n")
        if done.returncode != 0 or len(out) != len(segments):
            raise TranslationError(f"apertium {self._modes[language]} failed: {done.stderr.strip()[:200] or 'line count changed'}")
        return out


@dataclass
class Argos:
    name: str = "argos"

    @cached_property
    def _translate(self) -> Callable[[str, str, str], str] | None:
        try:
            import argostranslate.translate
        except ImportError:
            return None
        return argostranslate.translate.translate

    def languages(self) -> set[str]:
        if self._translate is None:
            return set()
        import argostranslate.package

        return {p.from_code for p in argostranslate.package.get_installed_packages() if p.to_code == "en"}

    def translate(self, language: str, segments: list[str]) -> list[str]:
        return [self._translate(segment, language, "en") for segment in segments]


@dataclass
class LibreTranslate:
    url: str
    api_key: str | None = None
    timeout: float = 60.0
    name: str = "libretranslate"
    _client: httpx.Client = field(default_factory=lambda: httpx.Client(timeout=60.0), repr=False)

    @cached_property
    def _languages(self) -> set[str]:
        try:
            listed = self._client.get(f"{self.url.rstrip('/')}/languages").raise_for_status().json()
        except (httpx.HTTPError, ValueError) as exc:
            raise TranslationError(f"LibreTranslate at {self.url} did not answer /languages: {exc}") from exc
        return {item["code"] for item in listed if "en" in item.get("targets", ["en"]) and item["code"] != "en"}

    def languages(self) -> set[str]:
        return self._languages

    def translate(self, language: str, segments: list[str]) -> list[str]:
        body = {"q": segments, "source": language, "target": "en", "format": "text"}
        if self.api_key:
            body["api_key"] = self.api_key
        try:
            answer = self._client.post(f"{self.url.rstrip('/')}/translate", json=body, timeout=self.timeout)
            answer.raise_for_status()
            translated = answer.json()["translatedText"]
        except (httpx.HTTPError, ValueError, KeyError) as exc:
            raise TranslationError(f"LibreTranslate at {self.url} failed: {exc}") from exc
        if not isinstance(translated, list) or len(translated) != len(segments):
            raise TranslationError(f"LibreTranslate at {self.url} returned {len(translated)} segments for {len(segments)}")
        return translated


def available_backends(libretranslate_url: str | None = None) -> list[Backend]:
    """The registry, in order of preference: a server the user chose, their own Argos models,
    then Apertium's rule-based pairs."""
    url = libretranslate_url or os.environ.get("STORYLINE_LIBRETRANSLATE_URL")
    backends: list[Backend] = [LibreTranslate(url, os.environ.get("STORYLINE_LIBRETRANSLATE_KEY"))] if url else []
    return [*backends, Argos(), Apertium()]

