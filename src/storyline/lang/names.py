"""Person names across spellings: Zelensky / Zelenskyy, Yevgeny / Yevhen, Andrey / Andriy.

Names from Cyrillic reach English copy through several transliteration
systems (and through Russian or Ukrainian forms of the same name). A name's
*skeleton* folds those differences: Cyrillic is transliterated, diacritics and
case go, vowels and y/j go, Russian g and Ukrainian h meet, x becomes ks. So
Зеленський, Зеленский, Zelensky and Zelenskyy share one skeleton. Two mentions
are one person when their surnames' skeletons match and their first names
(where both are given) do too.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

_VOWELS = re.compile(r"[aeiouyjw]")
_NON_LETTERS = re.compile(r"[^a-z]")


# Ukrainian and Russian letters, close to the national romanisations; the skeleton drops the vowels.
_CYRILLIC = str.maketrans({
    "а": "a", "б": "b", "в": "v", "г": "h", "ґ": "g", "д": "d", "е": "e", "є": "ye", "ж": "zh", "з": "z", "и": "y",
    "і": "i", "ї": "yi", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s",
    "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ь": "", "ю": "yu",
    "я": "ya", "ё": "yo", "ы": "y", "э": "e", "ъ": "", "'": "", "’": "",
})


def fold(name: str) -> str:
    # Cyrillic й and ё decompose into a letter and a mark: transliterate before stripping marks.
    text = unicodedata.normalize("NFC", name).casefold().translate(_CYRILLIC)
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def skeleton(name: str) -> str:
    """Consonant skeleton of one name part, transliteration-insensitive."""
    text = _NON_LETTERS.sub("", fold(name))
    text = text.replace("x", "ks").replace("kh", "h").replace("g", "h").replace("ph", "f")
    text = _VOWELS.sub("", text)
    return re.sub(r"(.)\1+", r"\1", text)


def name_parts(name: str) -> list[str]:
    return [part for part in re.split(r"[\s\-]+", name.strip()) if part and part[0].isalpha()]


def one_full_name(word: str, names: Iterable[str]) -> str | None:
    """The one full name among `names` that holds a one-word name ("Erika" in "Erika Mello", "Dale"
    in "Dale Ford"); None when none or several do."""
    holders = {name for name in names if len(name.split()) >= 2 and word in name.split()}
    return holders.pop() if len(holders) == 1 else None


def surname_key(name: str) -> str:
    parts = name_parts(name)
    return skeleton(parts[-1]) if parts else ""


def same_person(a: str, b: str) -> bool:
    """True when two mentions can name one person: same surname skeleton, compatible first names."""
    parts_a, parts_b = name_parts(a), name_parts(b)
    if not parts_a or not parts_b or surname_key(a) != surname_key(b):
        return False
    if len(parts_a) == 1 or len(parts_b) == 1:
        return True
    first_a, first_b = fold(parts_a[0]).rstrip("."), fold(parts_b[0]).rstrip(".")
    if len(first_a) == 1 or len(first_b) == 1:  # an initial: "М. Тасмаганбетов", "D. Peskov"
        return first_a[0] == first_b[0]
    return skeleton(parts_a[0]) == skeleton(parts_b[0])
