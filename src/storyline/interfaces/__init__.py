"""Ways in for people and programs: the CLI, the web pages, the REST API, Atom feeds, charts and
exports; each renders the view models of `views/` and runs the one update of `jobs/`."""
