"""Statements in Ukrainian, Russian, French and Spanish, read from the original text by patterns.

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
from dataclasses import dataclass
from datetime import date

from storyline.analysis.sentences import sentence_spans
from storyline.ingest.outlets import by_name
from storyline.records import Statement

_UPPER = "A-ZÀ-ÖØ-ÞА-ЯЁЄІЇҐ"
_CAPITALISED = re.compile(rf"[{_UPPER}][\w'’\-]*")
_QUOTE = re.compile(r"«\s*([^»]+?)\s*»|„([^“”]+)[“”]|“([^”]+)”|\"([^\"]+)\"")
_MIN_QUOTE_WORDS = 4
_PREPOSITIONS = "в|у|на|з|із|до|від|по|во|о|об|при|de|à|en|dans|pour"


@dataclass(frozen=True)
class SpeechRules:
    verbs: str  # inflected reporting verbs, as a regex alternation
    that: str  # the complementiser that opens reported speech
    according: str  # "according to", followed by the speaker
    roles: str  # role nouns, lower case
    genitive: tuple[tuple[str, str], ...] = ()  # surname endings after "according to", to the nominative
    not_names: frozenset[str] = frozenset()  # capitalised words at a sentence's start that name no one


RULES = {
    "uk": SpeechRules(
        verbs="заявив|заявила|заявили|сказав|сказала|сказали|наголосив|наголосила|зазначив|зазначила|повідомив|повідомила|"
              "підкреслив|підкреслила|додав|додала|розповів|розповіла|пояснив|пояснила|відповів|відповіла|написав|написала|"
              "продовжив|продовжила|"
              "заявляє|каже|наголошує|зазначає|вважає|переконаний|переконана",
        that="що", according="за словами|на думку",
        roles="президент|прем'єр-міністр|прем’єр-міністр|міністр|заступник міністра|посол|речник|речниця|радник|керівник|"
              "голова|генеральний секретар|генсек|командувач|депутат|спікер|представник|дипломат|посадовець",
        genitive=(("ського", "ський"), ("цького", "цький"), ("ова", "ов"), ("ева", "ев"), ("іна", "ін"), ("ка", "ко"), ("и", "а")),
        not_names=frozenset("як так також тоді потім згодом раніше водночас зокрема проте однак але він вона вони це".split()),
    ),
    "ru": SpeechRules(
        verbs="заявил|заявила|заявили|сказал|сказала|сказали|подчеркнул|подчеркнула|отметил|отметила|сообщил|сообщила|"
              "добавил|добавила|рассказал|рассказала|пояснил|пояснила|ответил|ответила|написал|написала|продолжил|продолжила|"
              "заявляет|говорит|считает|уверен|уверена",
        that="что", according="по словам|по мнению",
        roles="президент|премьер-министр|министр|замминистра|заместитель министра|посол|пресс-секретарь|представитель|"
              "советник|глава|руководитель|генеральный секретарь|генсек|командующий|депутат|спикер|дипломат|чиновник",
        genitive=(("ского", "ский"), ("цкого", "цкий"), ("ова", "ов"), ("ева", "ев"), ("ина", "ин")),
        not_names=frozenset("как так также тогда затем позже ранее вместе кроме однако но он она они это".split()),
    ),
    "fr": SpeechRules(
        verbs="a déclaré|a dit|a affirmé|a souligné|a ajouté|a indiqué|a expliqué|a assuré|a estimé|a répondu|a écrit|a annoncé|"
              "a rappelé|a martelé|a insisté|a poursuivi|déclare|dit|affirme|souligne|ajoute|estime|assure|explique",
        that="que|qu['’]", according="selon|d['’]après",
        roles="président|première ministre|premier ministre|ministre|vice-ministre|ambassadeur|ambassadrice|porte-parole|"
              "conseiller|conseillère|chef|secrétaire général|commandant|député|députée|diplomate|représentant|responsable",
        not_names=frozenset("comme ainsi puis alors ensuite aussi il elle ils elles on ce cela".split()),
    ),
    "es": SpeechRules(
        verbs="afirmó|dijo|declaró|señaló|aseguró|explicó|indicó|sostuvo|añadió|agregó|destacó|subrayó|advirtió|manifestó|"
              "expresó|comentó|respondió|escribió|anunció|recordó|insistió|alegó|continuó|afirma|dice|señala|asegura|explica|"
              "indica|sostiene",
        that="que", according="según|de acuerdo con",
        roles="presidente|presidenta|primer ministro|ministro|ministra|canciller|embajador|embajadora|portavoz|vocero|vocera|"
              "asesor|asesora|jefe|jefa|secretario general|comandante|diputado|diputada|senador|senadora|representante|"
              "procurador|procuradora|fiscal|abogado|abogada|director|directora|alcalde|alcaldesa|gobernador|gobernadora",
        not_names=frozenset("como así luego también además él ella ellos ellas esto eso".split()),
    ),
}


def _words(text: str) -> int:
    return len(text.split())


def _name_run(text: str, rules: SpeechRules, after: bool) -> re.Match | None:
    """The speaker's name at the start of `text` (after the verb) or at its end (before it).

    After the verb, a role phrase may come first ("президент України Володимир Зеленський",
    "le président ukrainien Volodymyr Zelensky"); before it, a few lower-case words may stand
    between name and verb ("Лукашенко в понедельник заявил"). Of a run of capitalised words,
    the two nearest the verb are the name: the country before them is not."""
    role_words = {w for role in rules.roles.split("|") for w in role.casefold().split()}
    tokens = list(re.finditer(r"[\w'’\-]+", text))
    run: list[re.Match] = []
    in_role, skipped = False, 0
    for token in (tokens if after else reversed(tokens)):
        word = token.group(0)
        is_role = word.casefold() in role_words
        if run:
            gap = text[min(run[-1].end(), token.end()):max(run[-1].start(), token.start())]
            if not _CAPITALISED.fullmatch(word) or is_role or gap.strip(" .") or word.casefold() in rules.not_names:
                break
            run.append(token)
            continue
        if _CAPITALISED.fullmatch(word) and not is_role and word.casefold() not in rules.not_names:
            run.append(token)
            continue
        between = text[token.end():] if not after else text[:token.start()]
        if re.search(r"[,;:«»\"“”()]", between[:200] if not after else between[-200:]):
            break  # the name must sit in the verb's own clause
        if is_role or word.casefold() in ("le", "la", "l", "les", "el", "los", "las"):
            in_role = in_role or is_role
            continue
        if (in_role or not after) and skipped < (4 if after else 6):
            skipped += 1
            continue
        break
    if not run:
        return None
    name = sorted(run, key=lambda t: t.start())[-2:]
    if re.search(r"(?:^|\s)(?:de|del|des|du|d['’])\s*$", text[:name[0].start()], re.I):
        return None  # "la abogada del Estado": a role held in an institution, not a name
    if len(name) == 2 and re.search(rf"(?:^|\s)(?:{_PREPOSITIONS})\s+$", text[:name[0].start()], re.I):
        name = name[1:]  # "в Раді Венедіктова": the place after a preposition is not part of the name
    return re.search(re.escape(text[name[0].start():name[-1].end()]), text) if name else None


def _role_before(text: str, name_start: int, rules: SpeechRules) -> str | None:
    window = text[max(0, name_start - 80):name_start]
    found = list(re.finditer(rf"(?:{rules.roles})(?:\s+[\w'’\-]+){{0,4}}?\s*$", window, re.I))
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


def _in_sentence(text: str, start: int, end: int, rules: SpeechRules, published: date | None) -> Statement | None:
    sentence = text[start:end]
    verb = re.search(rf"(?<![\w-])(?:{rules.verbs})(?![\w-])", sentence, re.I)
    quotes = [q for q in _QUOTE.finditer(sentence) if _words(_content(q.groups())) >= _MIN_QUOTE_WORDS]
    if verb:
        head, tail = sentence[:verb.start()], sentence[verb.end():]
        quote_before = next((q for q in quotes if q.end() <= verb.start()), None)
        # The end of a quotation that began sentences earlier: "… мест», - заявил М. Тасмаганбетов."
        closing = re.match(r"\s*[«„“\"]?(.+?)[»“”\"]\s*[,.]?\s*[-—–]*\s*$", head) if not quote_before else None
        before = _name_run(head[-160:], rules, after=False)
        after = _name_run(tail[:160], rules, after=True)
        if (quote_before or (closing and _words(closing.group(1)) >= _MIN_QUOTE_WORDS)) and after:
            content = _content(quote_before.groups()) if quote_before else closing.group(1)
            name_at = verb.end() + after.start()
            return _statement("direct", content, (start, end), after.group(0), _role_before(sentence, name_at, rules),
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
        if after and (rest := re.match(r"\s*,\s*(.+)", tail[after.end():], re.S)) and _words(rest.group(1)) >= _MIN_QUOTE_WORDS:
            # "Как сказал Песков, об инаугурации в Кремле не знали …"
            name_at = verb.end() + after.start()
            return _statement("indirect", rest.group(1), (start, end), after.group(0), _role_before(sentence, name_at, rules),
                              verb.group(0), "as said by", (start + name_at, start + verb.end() + after.end()), published)
    if according := re.search(rf"(?<!\w)(?:{rules.according})\s+", sentence, re.I):
        named = _name_run(sentence[according.end():according.end() + 120], rules, after=True)
        if named:
            name_at = according.end() + named.start()
            claim = (sentence[:according.start()] + sentence[according.end() + named.end():]).strip(" ,.")
            if _words(claim) >= _MIN_QUOTE_WORDS:
                return _statement("indirect", claim, (start, end), _nominative(named.group(0), rules),
                                  _role_before(sentence, name_at, rules), according.group(0).strip(), "according to",
                                  (start + name_at, start + according.end() + named.end()), published)
    return None


def extract_reported_speech(text: str, paragraphs: list[tuple[int, int]], language: str,
                            published: date | None = None) -> list[Statement]:
    """Statements of an article in a language with rules; [] for any other language."""
    rules = RULES.get(language)
    if rules is None:
        return []
    found = []
    for paragraph_start, paragraph_end in paragraphs:
        for start, end in sentence_spans(text, paragraph_start, paragraph_end):
            if (statement := _in_sentence(text, start, end, rules, published)) is not None:
                found.append(statement)
    return found
