"""Stories: articles grouped into events and story lines, with summaries, sections and takes."""

# How story digests are made (stories.digests): a digest stored by another recipe is stale and made
# again. 2: a story of one article is summarised by its lead and has no sections.
DIGEST_RECIPE = 2
