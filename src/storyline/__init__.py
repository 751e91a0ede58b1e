"""Storyline: follow a contested news story across the world's press."""

__version__ = "0.1.0"
