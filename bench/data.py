"""Where the public evaluation data lives: ../shared/data beside the checkout, or $STORYLINE_EVAL_DATA."""

from __future__ import annotations

import os
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def eval_data_dir() -> Path:
    return Path(os.environ.get("STORYLINE_EVAL_DATA", REPO.parent / "shared" / "data"))


def into_spanish(texts: list[str]) -> list[str] | None:
    """English texts put into Spanish by Apertium (Debian's apertium-eng-spa), or None without it.
    Rule-based and rough, which makes the cross-lingual test harder, not easier."""
    import shutil
    import subprocess

    if not shutil.which("apertium"):
        return None
    lines = "\n".join(" ".join(t.split()) for t in texts)
    done = subprocess.run(["apertium", "-u", "eng-spa"], input=lines, capture_output=True, text=True, timeout=600)
    out = done.stdout.split("\n")
    return out[: len(texts)] if done.returncode == 0 and len(out) >= len(texts) else None
