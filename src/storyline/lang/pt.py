"""Portuguese: how the press attributes speech (verbs, "according to", role nouns)."""

from storyline.lang.speech import SpeechRules

SPEECH = SpeechRules(
    verbs="disse|afirmou|declarou|explicou|ressaltou|destacou|acrescentou|informou|anunciou|escreveu|lembrou|garantiu|"
          "avaliou|comentou|criticou|defendeu|alertou|indagou|sugeriu|reconheceu|diz|afirma|explica|destaca|ressalta|"
          "avalia|sugere",
    that="que", according="segundo|de acordo com|conforme",
    roles="presidente|ministro|ministra|embaixador|embaixadora|porta-voz|assessor|assessora|chefe|secretário-geral|"
          "comandante|deputado|deputada|senador|senadora|prefeito|prefeita|governador|governadora|diretor|diretora|"
          "delegado|delegada|advogado|advogada|presidenta",
    not_names=frozenset("a o os as um uma como assim depois também ainda ele ela eles elas isso isto".split()),
    prepositions="de|do|da|em|no|na|para",
    drops_subject=True,
)
