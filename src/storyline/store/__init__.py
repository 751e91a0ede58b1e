"""Persistence: the only package that talks to the database, one module per aggregate (articles,
statements and actors, positions and shifts, stories and search, alerts) over one connection (base)."""

from storyline.store.base import utc_now
from storyline.store.db import Store

__all__ = ["Store", "utc_now"]
