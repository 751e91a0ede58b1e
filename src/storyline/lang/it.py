"""Italian: how the press attributes speech (verbs, "according to", role nouns)."""

from storyline.lang.speech import SpeechRules

SPEECH = SpeechRules(
    verbs="ha detto|ha dichiarato|ha affermato|ha spiegato|ha sottolineato|ha aggiunto|ha annunciato|ha scritto|"
          "ha ricordato|ha assicurato|ha precisato|ha avvertito|ha commentato|dice|afferma|spiega|sottolinea|aggiunge|"
          "dichiara",
    that="che", according="secondo|stando a",
    roles="presidente|premier|primo ministro|ministro|ministra|ambasciatore|ambasciatrice|portavoce|consigliere|capo|"
          "segretario generale|comandante|deputato|deputata|senatore|senatrice|sindaco|governatore|governatrice",
    not_names=frozenset("il lo la le gli i un una come così poi anche inoltre lui lei loro questo ciò".split()),
    prepositions="di|a|in|da|per",
    drops_subject=True,
)
