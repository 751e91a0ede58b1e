"""Statements in Ukrainian, Russian, French, Spanish, German, Italian and Portuguese, read from the
original text by patterns.

No parser for these languages ships in a registry package that loads offline (only French has
a spaCy model, and its small NER tags "ministre des Affaires étrangères Dmytro Kouleba" an
organisation), so the press's own conventions carry the work:

- a quotation in «…», „…“ or "…", then the reporting verb and the speaker
  («…», — заявив Зеленський; « … », a déclaré le président Volodymyr Zelensky);
- the speaker, the verb, then a quotation or a that-clause
  (Зеленський заявив, що …; Песков сказал: «…»; Zelensky a affirmé que …);
- "according to" phrases (за словами / по словам / selon), whose name is in the genitive.

The speaker is the run of capitalised words next to the verb, the role is the role noun
before it ("міністр закордонних справ"), both in the original language. Names match their
English spellings through the transliterating skeleton in `names`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date
from functools import lru_cache

from storyline.analysis.sentences import sentence_spans
from storyline.ingest.outlets import by_name
from storyline.lang.names import one_full_name
from storyline.lang.speech import SpeechRules, speech_rules
from storyline.records import Statement
from storyline.settings import settings

_UPPER = "A-ZÀ-ÖØ-ÞА-ЯЁЄІЇҐ"
_CAPITALISED = re.compile(rf"[{_UPPER}][\w'’\-]*")
_ARTICLES = frozenset("le la l les el los las der die das den dem des il lo gli o os as".split())
_CAPITALISED_RUN = re.compile(rf"[{_UPPER}][\w'’\-.]*(?:\s+[{_UPPER}][\w'’\-.]*){{1,3}}")
_QUOTE = re.compile(r"«\s*([^»]+?)\s*»|„([^“”]+)[“”]|“([^”]+)”|\"([^\"]+)\"")


@lru_cache(maxsize=1)
def _prepositions() -> str:
    """Every language's place prepositions: a two-word name after one is a place, in any of them."""
    return "|".join(dict.fromkeys(p for rules in speech_rules().values() for p in rules.prepositions.split("|") if p))


def _words(text: str) -> int:
    return len(text.split())


def _name_run(text: str, rules: SpeechRules, after: bool, known: frozenset[str] = frozenset()) -> re.Match | None:
    """The speaker's name at the start of `text` (after the verb) or at its end (before it).

    After the verb, a role phrase may come first ("президент України Володимир Зеленський",
    "le président ukrainien Volodymyr Zelensky"); before it, a few lower-case words may stand
    between name and verb ("Лукашенко в понедельник заявил"). Of a run of capitalised words,
    the two nearest the verb are the name: the country before them is not."""
    role_words = {w for role in rules.roles.split("|") for w in role.casefold().split()}
    # "Según ha contado Javier Imbroda": the words of "according to" open a sentence, they name no one
    not_names = rules.not_names | {w for phrase in rules.according.split("|") for w in phrase.casefold().split()}
    tokens = list(re.finditer(r"[\w'’\-]+", text))
    run: list[re.Match] = []
    in_role, skipped = False, 0
    for token in (tokens if after else reversed(tokens)):
        word = token.group(0)
        # "вице-спикер", "ex-ministre": a prefixed role is the role
        is_role = word.casefold() in role_words or word.casefold().rsplit("-", 1)[-1] in role_words
        if run:
            gap = text[min(run[-1].end(), token.end()):max(run[-1].start(), token.start())]
            if not _CAPITALISED.fullmatch(word) or is_role or gap.strip(" .") or word.casefold() in not_names:
                break
            run.append(token)
            continue
        if _CAPITALISED.fullmatch(word) and not is_role and word.casefold() not in not_names:
            run.append(token)
            continue
        between = text[token.end():] if not after else text[:token.start()]
        if re.search(r"[,;:«»\"“”()]", between[:200] if not after else between[-200:]):
            break  # the name must sit in the verb's own clause
        if is_role or word.casefold() in _ARTICLES:
            # "sagt der syrische Wirtschaftsjournalist Mohammed Bassiki": after the verb, an article opens the
            # description before a name as a role noun does
            in_role = in_role or is_role or (after and word.casefold() in _ARTICLES - {"l"})
            continue
        if (in_role or not after) and skipped < (4 if after else 6):
            skipped += 1
            continue
        break
    if not run:
        return None
    name = sorted(run, key=lambda t: t.start())[-2:]
    if len(name) < rules.min_name_words and not (len(name) == 1 and name[0].group() in known):
        return None  # a German "Polizei" is no name; "Bassiki", met as "Mohammed Bassiki", is
    if re.search(r"(?:^|\s)(?:de|del|des|du|do|da|dos|das|della|dello|degli|d['’])\s*$", text[:name[0].start()], re.I):
        return None  # "la abogada del Estado", "presidente do Congresso": a role held in an institution, not a name
    if re.search(rf"(?:^|\s)(?:{_prepositions()})\s+$", text[:name[0].start()], re.I):
        # "в Раді Венедіктова": the place after a preposition is not part of the name; alone ("no Congresso"), it is no one
        name = name[1:]
    return re.search(re.escape(text[name[0].start():name[-1].end()]), text) if name else None


def _role_before(text: str, name_start: int, rules: SpeechRules) -> str | None:
    window = text[max(0, name_start - 80):name_start]
    found = list(re.finditer(rf"(?:\w+-)?(?:{rules.roles})(?:\s+[\w'’\-]+){{0,4}}?\s*$", window, re.I))
    return found[-1].group(0).strip() if found else None


def _nominative(name: str, rules: SpeechRules) -> str:
    parts = name.split()
    for ending, nominative in rules.genitive:
        if parts[-1].endswith(ending) and len(parts[-1]) > len(ending) + 2:
            parts[-1] = parts[-1][: -len(ending)] + nominative
            break
    return " ".join(parts)


def _statement(kind: str, text: str, sentence: tuple[int, int], speaker: str, role: str | None, cue: str, via: str,
               mention: tuple[int, int], published: date | None) -> Statement | None:
    if by_name(speaker) is not None:
        return None  # "according to Rashatudi (RT)": an outlet is a source, not a speaker
    return Statement(kind=kind, text=text.strip(" ,"), start=sentence[0], end=sentence[1], speaker=speaker, speaker_kind="person",
                     role=role, cue=cue, via=via, date=published.isoformat() if published else None, date_kind="article",
                     mention_start=mention[0], mention_end=mention[1])


def _content(groups: tuple[str | None, ...]) -> str:
    return next(g for g in groups if g)


def _opened_before(text: str, paragraph_start: int, start: int) -> int | None:
    """Where the quotation still open at `start` was opened in its paragraph, if one is
    ("„…“" closes with “, which opens a quotation elsewhere; «…«…»…» nests)."""
    open_at, opener, depth = None, "", 0
    for mark in re.finditer(r"[«»„“”\"]", text[paragraph_start:start]):
        char = mark.group()
        if open_at is not None and (char in "»”" or (char == "“" and opener == "„") or (char == '"' and opener == '"')):
            depth -= 1
            open_at = open_at if depth else None
        elif char in "«„“\"" and (open_at is None or char == opener):
            open_at = open_at if open_at is not None else paragraph_start + mark.start()
            opener, depth = char, depth + 1
    return open_at


@dataclass(frozen=True)
class _Context:
    """What a sentence is read with: where its paragraph starts, the surnames of the full names the
    article has given so far, and the statement before it."""

    paragraph_start: int
    known: frozenset[str] = frozenset()
    previous: Statement | None = None


def _in_sentence(text: str, start: int, end: int, rules: SpeechRules, published: date | None,
                 context: _Context) -> Statement | None:
    sentence = text[start:end]
    verb = re.search(rf"(?<![\w-])(?:{rules.verbs})(?![\w-])", sentence, re.I)
    quotes = [q for q in _QUOTE.finditer(sentence) if _words(_content(q.groups())) >= settings().statements.min_quote_words]
    if verb:
        head, tail = sentence[:verb.start()], sentence[verb.end():]
        quote_before = next((q for q in quotes if q.end() <= verb.start()), None)
        # The end of a quotation that began sentences earlier: "… мест», - заявил М. Тасмаганбетов."
        closing = re.match(r"\s*[«„“\"]?(.+?)[»“”\"]\s*[,.]?\s*[-—–]*\s*$", head) if not quote_before else None
        before = _name_run(head[-160:], rules, after=False, known=context.known)
        after = _name_run(tail[:160], rules, after=True, known=context.known)
        if (quote_before or (closing and _words(closing.group(1)) >= settings().statements.min_quote_words)) and after:
            content = _content(quote_before.groups()) if quote_before else closing.group(1)
            said_from = start
            opened = _opened_before(text, context.paragraph_start, start) if closing else None
            if opened is not None and not re.match(r"\s*[«„“\"]", head):
                # the whole quotation, from where it opened sentences earlier
                said_from, content = opened, text[opened + 1:start + closing.end(1)]
            name_at = verb.end() + after.start()
            return _statement("direct", content, (said_from, end), after.group(0), _role_before(sentence, name_at, rules),
                              verb.group(0), "after the quotation", (start + name_at, start + verb.end() + after.end()), published)
        if before:
            name_at = max(0, verb.start() - 160) + before.start()
            quote_after = next((q for q in quotes if q.start() >= verb.end()), None)
            opening = re.match(r"\s*:\s*[«„“\"]\s*(.+)", tail, re.S)  # a quotation that runs on past this sentence
            clause = re.match(rf"\s*,?\s*(?:{rules.that})\s*(.+)", tail, re.I | re.S)
            if quote_after or opening or clause:
                kind = "indirect" if clause and not quote_after else "direct"
                content = _content(quote_after.groups()) if quote_after else (clause or opening).group(1)
                return _statement(kind, content, (start, end), before.group(0), _role_before(sentence, name_at, rules),
                                  verb.group(0), "subject", (start + name_at, start + name_at + len(before.group(0))), published)
        rest = re.match(r"\s*,\s*(.+)", tail[after.end():], re.S) if after else None
        if rest and _CAPITALISED_RUN.fullmatch(rest.group(1).strip(" .")) and _words(head) >= settings().statements.min_quote_words \
                and head.rstrip().endswith(","):
            # "… 100 mil crías de peces, informó el secretario general de la Cooperativa, José Fernando Gudiño Bautista."
            name_at = verb.end() + after.end() + rest.start(1)
            name = rest.group(1).strip(" .")
            return _statement("indirect", head.strip(" ,"), (start, end), name, _role_before(sentence, verb.end(), rules) or None,
                              verb.group(0), "after the claim", (start + name_at, start + name_at + len(name)), published)
        if rest and _words(rest.group(1)) >= settings().statements.min_quote_words:
            # "Как сказал Песков, об инаугурации в Кремле не знали …"
            name_at = verb.end() + after.start()
            return _statement("indirect", rest.group(1), (start, end), after.group(0), _role_before(sentence, name_at, rules),
                              verb.group(0), "as said by", (start + name_at, start + verb.end() + after.end()), published)
    if according := re.search(rf"(?<!\w)(?:{rules.according})\s+", sentence, re.I):
        named = _name_run(sentence[according.end():according.end() + 120], rules, after=True)
        if named:
            name_at = according.end() + named.start()
            claim = (sentence[:according.start()] + sentence[according.end() + named.end():]).strip(" ,.")
            if _words(claim) >= settings().statements.min_quote_words:
                return _statement("indirect", claim, (start, end), _nominative(named.group(0), rules),
                                  _role_before(sentence, name_at, rules), according.group(0).strip(), "according to",
                                  (start + name_at, start + according.end() + named.end()), published)
    return _subject_dropped(sentence, verb, (start, end), rules, context)


def _subject_dropped(sentence: str, verb: re.Match | None, span: tuple[int, int], rules: SpeechRules,
                     context: _Context) -> Statement | None:
    """"Recordó que …", "Mencionó que …": where the verb alone opens the sentence, a language that drops
    its subjects goes on with the speaker of the statement just before (in this paragraph or the last)."""
    previous = context.previous
    if not (rules.drops_subject and verb and previous is not None and span[0] - previous.end <= settings().statements.continues_within):
        return None
    clause = re.match(rf"\s*,?\s*(?:{rules.that})\s+(.+)", sentence[verb.end():], re.I | re.S)
    if not re.fullmatch(r"\W*(?:\w+,\s*)?", sentence[:verb.start()]) or clause is None \
            or _words(clause.group(1)) < settings().statements.min_quote_words:
        return None
    return replace(previous, kind="indirect", text=clause.group(1).strip(" ,"), start=span[0], end=span[1],
                   cue=verb.group(0), via="the subject dropped: the speaker before", mention_start=None, mention_end=None)


def extract_reported_speech(text: str, paragraphs: list[tuple[int, int]], language: str,
                            published: date | None = None) -> list[Statement]:
    """Statements of an article in a language with rules; [] for any other language."""
    rules = speech_rules().get(language)
    if rules is None:
        return []
    found: list[Statement] = []
    known: frozenset[str] = frozenset()  # surnames of the full names found so far
    for paragraph_start, paragraph_end in paragraphs:
        for start, end in sentence_spans(text, paragraph_start, paragraph_end):
            context = _Context(paragraph_start, known, found[-1] if found else None)
            if (statement := _in_sentence(text, start, end, rules, published, context)) is not None:
                found.append(statement)
                if len(names := statement.speaker.split()) >= 2:
                    known |= {names[-1]}
    return _full_names(found)


def _full_names(found: list[Statement]) -> list[Statement]:
    """A speaker named by one word ("Erika", "Bassiki") is the one full name of the article that holds it."""
    full = {s.speaker for s in found}
    return [replace(s, speaker=holder) if len(s.speaker.split()) == 1 and (holder := one_full_name(s.speaker, full)) else s
            for s in found]
