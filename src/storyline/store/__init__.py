"""Persistence: the only package that talks to the database."""

from storyline.store.base import utc_now
from storyline.store.db import Store

__all__ = ["Store", "utc_now"]
