"""The one exception type ingest raises for bad input; its message is shown to the user as is."""


class IngestError(Exception):
    """An input that cannot become an article. The message says what is wrong and, where it can, what to do."""
