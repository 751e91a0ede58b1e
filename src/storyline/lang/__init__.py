"""Language resources, one module per language (as spaCy's `lang/`): the words and patterns the
algorithms read, kept out of the algorithms. `en` holds the English word lists of attribution,
stance and page cleaning; `uk`, `ru`, `fr`, `es` the rules for reported speech in the original;
`places` the countries and organisations the press names (from `data/countries.csv`); `names`
how a person's name folds across scripts and transliterations.
"""
