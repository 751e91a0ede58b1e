"""Analysis of stored articles: language per paragraph, the one sentence splitter, the document
model (each article parsed once and kept), statements and their speakers in English (a CRF
trained on PolNeAR, with rules where it leaves gaps) and, by
pattern rules, in Ukrainian, Russian, French and Spanish, actors across the store, names across
scripts, embeddings, and the trained stance readers (a cross-encoder, and a head over multilingual
vectors for statements with no translation).
"""

# Bump when parsing or statement extraction changes, so `storyline analyze` reads stored articles again.
ANALYSIS_VERSION = 9
