"""Where the public evaluation data lives: ../shared/data beside the checkout, or $STORYLINE_EVAL_DATA."""

from __future__ import annotations

import os
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def eval_data_dir() -> Path:
    return Path(os.environ.get("STORYLINE_EVAL_DATA", REPO.parent / "shared" / "data"))
