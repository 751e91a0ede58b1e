"""Ways in for people and programs: the CLI now; web and API read the same store."""
