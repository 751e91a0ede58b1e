"""Analysis components that read stored articles: language now; entities, statements and stance build on it."""
