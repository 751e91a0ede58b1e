"""Stories: articles grouped into events and story lines, with summaries, sections and takes."""
