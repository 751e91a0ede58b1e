"""Persistence: the only package that talks to the database."""

from storyline.store.db import Store

__all__ = ["Store"]
