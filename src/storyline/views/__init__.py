"""One view model per resource (stories, a story, an actor, a proposition, an article, search).

The CLI, the web pages and the REST API each render these; none assembles a resource itself.
Every view reads only what it shows, with filters and pages pushed into the store's SQL.
"""
