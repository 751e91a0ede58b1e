"""Settings: defaults in one module, overridden by a user's file; mistakes in the file are named."""

import subprocess
import sys

import pytest

from storyline import settings as settings_module
from storyline.pipeline import Ingestor
from storyline.settings import Settings, SettingsError, read
from storyline.store import Store
from tests.conftest import SEEDS


def test_a_file_overrides_only_what_it_names(tmp_path):
    path = tmp_path / "storyline.cfg"
    path.write_text("[timeline]\nwalk_back_days = 3\n\n[stances]\nretrieval = 0.3\n", encoding="utf-8")
    found = read(path)
    assert found.timeline.walk_back_days == 3 and found.stances.retrieval == 0.3
    assert found.timeline.same_side_days == Settings().timeline.same_side_days
    assert found.ingest == Settings().ingest and found.source == str(path)


@pytest.mark.parametrize("text, named", [
    ("[timelines]\nwalk_back_days = 3\n", "[timelines]"),
    ("[timeline]\nwalk_bak_days = 3\n", "walk_bak_days"),
    ("[timeline]\nwalk_back_days = soon\n", "'soon' is not a int"),
])
def test_mistakes_are_named(tmp_path, text, named):
    path = tmp_path / "storyline.cfg"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SettingsError, match=named.replace("[", r"\[")):
        read(path)


def test_a_setting_changes_what_the_code_does(tmp_path, monkeypatch):
    """A size limit lowered in the file refuses a seed page the defaults accept."""
    page = str(sorted(SEEDS.glob("*.txt"))[0])
    with Store(tmp_path / "default.db") as store:
        assert Ingestor(store).run([page]).count("stored") == 1
    strict = tmp_path / "strict.cfg"
    strict.write_text("[ingest]\nmax_bytes = 100\n", encoding="utf-8")
    monkeypatch.setenv("STORYLINE_CONFIG", str(strict))
    settings_module.settings.cache_clear()
    try:
        with Store(tmp_path / "strict.db") as store:
            [outcome] = Ingestor(store).run([page]).outcomes
        assert outcome.status == "failed" and "over the limit of 100" in outcome.detail
    finally:
        monkeypatch.delenv("STORYLINE_CONFIG")
        settings_module.settings.cache_clear()


def test_the_cli_prints_the_settings_in_force_and_refuses_a_bad_file(tmp_path):
    good, bad = tmp_path / "good.cfg", tmp_path / "bad.cfg"
    good.write_text("[alerts]\nmax_attempts = 5\n", encoding="utf-8")
    bad.write_text("[alerts]\nmax_attempt = 5\n", encoding="utf-8")
    shown = subprocess.run([sys.executable, "-m", "storyline.interfaces.cli", "settings"], capture_output=True, text=True,
                           env={"STORYLINE_CONFIG": str(good), "PATH": ""}, check=True)
    assert "max_attempts = 5" in shown.stdout and f"from {good}" in shown.stdout
    refused = subprocess.run([sys.executable, "-m", "storyline.interfaces.cli", "report", "--db", str(tmp_path / "s.db")],
                             capture_output=True, text=True, env={"STORYLINE_CONFIG": str(bad), "PATH": ""})
    assert refused.returncode == 2 and "max_attempt" in refused.stderr and "Traceback" not in refused.stderr
