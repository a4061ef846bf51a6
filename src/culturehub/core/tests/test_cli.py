import subprocess
import sys

import pytest

from culturehub.cli import main


def test_help_lists_every_command(capsys):
    assert main(["--help"]) == 0
    out = capsys.readouterr().out
    for command in ("serve", "import", "load-vocabulary", "load-demo", "worker"):
        assert command in out


def test_an_unknown_command_exits_with_code_2_and_says_why(capsys):
    assert main(["frobnicate"]) == 2
    assert "unknown command 'frobnicate'" in capsys.readouterr().err


def test_import_without_a_known_source_exits_with_code_2(capsys):
    assert main(["import", "nowhere"]) == 2
    assert "name a source" in capsys.readouterr().err


@pytest.mark.django_db
def test_load_vocabulary_runs_through_the_console_command(capsys):
    assert main(["load-vocabulary"]) == 0
    assert "Vocabulary loaded" in capsys.readouterr().out


def test_the_console_script_is_installed():
    result = subprocess.run(
        [sys.executable, "-m", "culturehub.cli", "--help"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0
    assert "usage: culturehub" in result.stdout
