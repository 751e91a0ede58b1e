"""Spanish: how the press attributes speech (verbs, "according to", role nouns)."""

from storyline.lang.speech import SpeechRules

SPEECH = SpeechRules(
    verbs="afirmó|dijo|declaró|señaló|aseguró|explicó|indicó|sostuvo|añadió|agregó|destacó|subrayó|advirtió|manifestó|"
          "expresó|comentó|respondió|escribió|anunció|recordó|insistió|alegó|continuó|afirma|dice|señala|asegura|explica|"
          "indica|sostiene|informó|mencionó|refirió|reveló|ha dicho|ha afirmado|ha declarado|ha señalado|ha añadido|"
          "ha explicado|ha asegurado|ha indicado|ha subrayado|ha destacado|ha revelado|ha contado|ha reconocido",
    that="que", according="según|de acuerdo con",
    roles="presidente|presidenta|primer ministro|ministro|ministra|canciller|embajador|embajadora|portavoz|vocero|vocera|"
          "asesor|asesora|jefe|jefa|secretario general|comandante|diputado|diputada|senador|senadora|representante|"
          "procurador|procuradora|fiscal|abogado|abogada|director|directora|alcalde|alcaldesa|gobernador|gobernadora",
    not_names=frozenset("como así luego también además él ella ellos ellas esto eso".split()),
    prepositions="de|en",
    drops_subject=True,
)
