"""French: how the press attributes speech (verbs, "according to", role nouns)."""

from storyline.lang.speech import SpeechRules

SPEECH = SpeechRules(
    verbs="a déclaré|a dit|a affirmé|a souligné|a ajouté|a indiqué|a expliqué|a assuré|a estimé|a répondu|a écrit|a annoncé|"
          "a rappelé|a martelé|a insisté|a poursuivi|a admis|a reconnu|a précisé|a confié|a prévenu|a averti|a dénoncé|"
          "a jugé|déclare|dit|affirme|souligne|ajoute|estime|assure|explique",
    that="que|qu['’]", according="selon|d['’]après",
    roles="président|première ministre|premier ministre|ministre|vice-ministre|ambassadeur|ambassadrice|porte-parole|"
          "conseiller|conseillère|chef|secrétaire général|commandant|député|députée|diplomate|représentant|responsable",
    not_names=frozenset("comme ainsi puis alors ensuite aussi il elle ils elles on ce cela".split()),
    prepositions="de|à|en|dans|pour",
)
