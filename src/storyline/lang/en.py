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
# Nouns that carry someone's position when a "to" clause says what it is: "the proposal of the
# former NATO Secretary General to receive membership ...", "Zelenskyy's bid to remove measures ...".
POSITION_NOUNS = frozenset("proposal plan bid offer call demand initiative suggestion idea push request refusal".split())
# Speakers that are sources rather than actors: "media reports said", "a poll found". They hold no position.
SOURCE_NOUNS = frozenset("report media poll survey study document statement".split())
ROLE_NOUNS = (
    "president|prime minister|deputy prime minister|minister|deputy minister|foreign minister|defence minister|defense minister|"
    "ambassador|spokesman|spokeswoman|spokesperson|adviser|advisor|envoy|secretary general|secretary of state|secretary|"
    "chancellor|chief of staff|chief|head|leader|commander|general|governor|mayor|senator|lawmaker|diplomat|official|"
    "chairman|chairwoman|director|king|emir|premier|speaker|negotiator|representative"
)
PRONOUNS = frozenset({"he", "she", "him", "her"})
WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"]


# --- Features of the FNC-1 classifier (analysis/relatedness.py): fixed by the trained model, change them only with `make train-relatedness` ---

FNC_STOPWORDS = frozenset("""
a an the and or of to in on at for with by from as is are was were be been being it its this that these those
he she they we you i his her their our your my him them us me who whom which what when where why how there here
has have had do does did will would shall should can could may might must not no nor so than then too very just
also into onto over under about after before during while if but because until up down out off again further
said says say told tell according
""".split())
FNC_NEGATIONS = frozenset("not no never n't none nothing neither nor without cannot nobody nowhere non".split())
FNC_REFUSALS = frozenset("""
deny denies denied denying reject rejects rejected rejecting refuse refuses refused refusing refute refuted
drop drops dropped dropping abandon abandons abandoned abandoning withdraw withdraws withdrew withdrawing
renounce renounces renounced renouncing oppose opposes opposed opposing against impossible unacceptable
false fake hoax debunk debunked bogus myth untrue baseless dismiss dismissed dismisses retract retracted
doubt doubts doubtful fraud prank pranks halt halted stop stopped end ended cancel cancelled scrap scrapped
""".split())
FNC_HEDGES = frozenset("""
might may could perhaps possibly possible maybe flexible consider considering contemplate contemplating
if unless whether open ready prepared willing potential potentially likely unlikely suggest suggests suggested
""".split())
FNC_DISTANCING = frozenset("""
allegedly reportedly claim claims claimed purported purportedly rumour rumor rumours rumors unconfirmed
unverified apparently supposedly speculation speculated sources appears appeared seems seemed
""".split())
FNC_CONFIRMATIONS = frozenset("""
confirmed confirms confirm officially announced announces proved proven verified indeed true
""".split())


# --- Stance direction read off the parse (analysis/polarity.py, the rule reader) ---

PURSUE = frozenset("""
pursue seek join want desire aspire bid goal ambition aim aspiration obtain gain receive get accept grant admit
support welcome back favour favor membership accession integration invitation invite enter entry push demand
""".split())
GIVE_UP = frozenset("""
cede surrender trade exchange swap relinquish renounce abandon drop forgo forego waive sacrifice concede
concession withdraw withdrawal give hand yield
""".split())
REVERSERS = frozenset("""
reject refuse deny oppose rule block veto delay postpone halt stop end prevent resist dismiss rebuff remove scrap
""".split()) | GIVE_UP
NEGATIONS = frozenset("not no never n't none nothing neither nor without non cannot".split())
NEGATIVE_JUDGEMENTS = frozenset("""
unacceptable impossible trigger threat war danger dangerous provocation mistake risk wrong bad illegal
red_line nonsense absurd
""".split())
POSITIVE_JUDGEMENTS = frozenset("""
integral essential priority important key good best right necessary vital crucial acceptable possible
cornerstone fundamental
""".split())
HEDGES = frozenset("might may could perhaps possibly maybe flexible contemplate consider if unless whether".split())
EXCHANGE_MARKERS = frozenset("exchange return swap".split())
TRADE_VERBS = frozenset("trade exchange swap barter".split())
ATTITUDES = frozenset("demand want insist propose suggest believe hope expect urge push seek have ask".split())
FIRST_PERSON = frozenset("we i us our my".split())
ANAPHORS = frozenset("this that it these those such".split())
CONTENT_NOUNS = frozenset("suggestion proposal idea plan offer prospect possibility notion proposition bid".split())


# --- Trained stance reader (positions/scoring.py) ---

# Epistemic modal hedges (Hyland 2005, "Metadiscourse"): a side taken under one is held loosely,
# so the stance is mixed. A negated modal of ability ("could not accept") is a refusal, no hedge;
# "might not" stays a hedge.
MODAL_HEDGES = frozenset("might may could perhaps possibly maybe".split())
ABILITY_MODALS = frozenset({"could"})
HEDGE_NEGATIONS = frozenset("not never no".split())
# Reported speech's content clause opens with one ("said that ..."); the claim is what follows.
COMPLEMENTIZERS = frozenset({"that"})
# A statement whose subject is one of ANAPHORS (above) points back to the sentence before it.


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
