"""The one update: the job contract every stage follows, and the stage order, written once.

`update.update(store)` brings a store up to date (translate, statements, stances, shifts,
stories, digests, alerts); the CLI's `analyze` and `propose`, the API's background analysis, `make demo`,
the tests and `bench/` all call it. Each stage module here owns its loop (pending work, batch,
save, report); the work itself stays in the stage's own package (`translation/`, `analysis/`,
`positions/`, `stories/`, `alerts/`). Importing this package loads no model.
"""
