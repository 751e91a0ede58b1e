"""From inputs (files, pages, feeds, URLs) to clean, dated, attributed articles."""
