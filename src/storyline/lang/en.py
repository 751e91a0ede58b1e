"""English: the word lists the English readers use (attribution, stance, page cleaning, roles)."""

# --- Attribution (analysis/statements.py) ---

REPORTING_VERBS = frozenset(
    """say tell stress note claim warn add state emphasize emphasise underscore explain insist argue suggest
    announce declare assert reiterate acknowledge admit deny confirm clarify indicate describe call accuse
    vow promise pledge point urge characterize characterise reply respond answer write tweet post believe
    express propose demand comment think expect hope fear want feel know consider estimate predict allege report
    reveal disclose signal recall concede contend maintain agree disagree doubt question""".split()
)
# Unnamed speakers that journalism attributes to all the time: "sources said", "Ukrainian officials say".
GROUP_NOUNS = frozenset(
    """official source aide analyst expert critic observer witness resident voter supporter opponent activist lawyer
    attorney report media campaign government ministry administration committee commission agency poll survey study
    statement document police military army authority prosecutor investigator researcher scientist economist people
    citizen member lawmaker diplomat spokesperson partner ally""".split()
)
# Of those, the documents: "a Pentagon report" says something, but is no group of people.
DOCUMENT_NOUNS = frozenset("report poll survey study statement document".split())
# Nouns that carry someone's position when a "to" clause says what it is: "the proposal of the
# former NATO Secretary General to receive membership ...", "Zelenskyy's bid to remove measures ...".
POSITION_NOUNS = frozenset("proposal plan bid offer call demand initiative suggestion idea push request refusal".split())
# Speakers that are sources rather than actors: "media reports said", "a poll found". They hold no position.
SOURCE_NOUNS = frozenset("report media poll survey study document statement".split())
ROLE_NOUNS = (
    "president|prime minister|deputy prime minister|minister|deputy minister|foreign minister|defence minister|defense minister|"
    "ambassador|spokesman|spokeswoman|spokesperson|adviser|advisor|envoy|secretary general|secretary of state|secretary|"
    "chancellor|chief of staff|chief|head|leader|commander|general|governor|mayor|senator|lawmaker|diplomat|official|"
    "chairman|chairwoman|director|king|emir|premier|speaker|negotiator|representative|nominee|candidate"
)
PRONOUNS = frozenset({"he", "she", "him", "her"})
# Titles written before a name ("Sen. Ben Sasse", "Mr. Trump", "CEO Tim Cook"): not part of the
# name, so "Mr. Trump" and "Donald Trump" stay one person; those that name a job become a role.
NAME_TITLES = {
    "mr": None, "mrs": None, "ms": None, "mx": None, "miss": None, "dr": None, "prof": None, "rev": None, "sir": None,
    "dame": None, "sen": "senator", "rep": "representative", "gov": "governor", "lt": None, "gen": "general",
    "col": "colonel", "capt": "captain", "adm": "admiral", "maj": "major", "sgt": "sergeant", "atty": "attorney",
    "pres": "president", "ceo": "chief executive", "cfo": "chief financial officer",
}
WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"]


# --- Trained stance reader (positions/scoring.py) ---

# Epistemic modal hedges (Hyland 2005, "Metadiscourse"): a side taken under one is held loosely,
# so the stance is mixed. A negated modal of ability ("could not accept") is a refusal, no hedge;
# "might not" stays a hedge.
MODAL_HEDGES = frozenset("might may could perhaps possibly maybe".split())
ABILITY_MODALS = frozenset({"could"})
HEDGE_NEGATIONS = frozenset("not never no".split())
# Reported speech's content clause opens with one ("said that ..."); the claim is what follows.
COMPLEMENTIZERS = frozenset({"that"})
# A statement that opens with one of these points back to the sentence before it, which it is read with.
ANAPHORS = frozenset("this that it these those such".split())


# --- Page furniture (ingest/textclean.py) ---

# Words that, on a short line, mark page furniture rather than journalism (a regex alternation).
FURNITURE_WORDS = (
    r"\b(advert\w*|sponsored|promoted|ads?\b|apps?\b|app store|google play|download|install|"
    r"subscribe\w*|newsletter|sign ?up|log ?in|register|cookies?|privacy|terms of (?:use|service)|"
    r"all rights reserved|copyright|read more|read also|see also|related|recommended|more from|"
    r"previous (?:article|post|story)|next (?:article|post|story)|back to top|"
    r"share|follow us|join us|social networks?|min(?:ute)?s? read|reading time|"
    r"summary|no time to read|logo|badge|main image|thumbnail|"
    r"get news|end of (?:message|article)|click here|tap here|watch (?:the )?video|listen to|"
    r"full experience)\b|©"
)


# --- Roles (analysis/actors.py), as six-letter stems of folded words ---

# Words about a role's time, not its job: "former", "current".
ROLE_TIME_STEMS = frozenset({"former", "previo", "curren", "time", "serves", "served"})
# Job words every government has: sharing one says little ("Foreign Minister" vs "Deputy Prime Minister").
GENERIC_ROLE_STEMS = frozenset({"minist", "head", "chief", "offici", "leader", "secret", "deputy", "member", "senior"})


# --- Timelines (positions/timeline.py), as regex alternations ---

# The later article takes back or explains the earlier remark: a shift this soon is a walk-back.
CLARIFICATION_WORDS = (
    r"\b(?:walk(?:ed|s|ing)?\s+back|clarif\w*|backtrack\w*|row(?:ed|s)?\s+back|retract\w*|U-turn|misinterpret\w*"
    r"|taken\s+out\s+of\s+context|misquot\w*|backpedal\w*)"
)
# The press names the change itself.
REPORTED_CHANGE_WORDS = (
    r"\b(?:shift|significant\s+change|U-turn|reversal|change\s+of\s+(?:position|stance|course|heart|tack)"
    r"|departure\s+from|about-face|turnaround|softened|hardened)\b"
)


# --- Dates (ingest/dates.py), as regex alternations with the usual abbreviations ---

MONTH_PATTERN = (
    "january|february|march|april|may|june|july|august|september|october|november|december|"
    "jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec"
)
WEEKDAY_PATTERN = "monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun"
