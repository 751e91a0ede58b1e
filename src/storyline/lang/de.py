"""German: how the press attributes speech (verbs, "according to", role nouns).

German capitalises every noun, so a single capitalised word before a verb is as likely "Polizei"
as a surname: a speaker needs a given name and a surname here."""

from storyline.lang.speech import SpeechRules

SPEECH = SpeechRules(
    verbs="sagte|sagten|erklärte|erklärten|betonte|betonten|sagt|erklärt|betont|meinte|meint|warnte|warnt|forderte|"
          "fordert|berichtete|schrieb|schreibt|glaubt|ergänzte|unterstrich|versicherte|kritisierte|räumte ein|teilte mit",
    that="dass", according="laut|nach Angaben von|nach Worten von",
    roles="bundeskanzler|bundeskanzlerin|kanzler|kanzlerin|präsident|präsidentin|ministerpräsident|ministerpräsidentin|"
          "minister|ministerin|außenminister|außenministerin|botschafter|botschafterin|sprecher|sprecherin|berater|"
          "beraterin|chef|chefin|generalsekretär|kommandeur|abgeordneter|abgeordnete|diplomat|vertreter|vertreterin|"
          "bürgermeister|bürgermeisterin|polizeisprecher|polizeisprecherin|staatsanwalt|staatsanwältin",
    not_names=frozenset("wie so auch dann später zuvor aber er sie es das dies die der den dem".split()),
    prepositions="in|im|aus|von|vom|bei|nach",
    min_name_words=2,
)
