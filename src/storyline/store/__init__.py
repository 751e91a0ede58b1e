"""Persistence: the only package that talks to the database."""

from storyline.store.db import Store, utc_now

__all__ = ["Store", "utc_now"]
