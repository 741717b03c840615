"""The README says what the data says, and its two set-up commands are the real ones."""

from __future__ import annotations

import re
import subprocess
import sys

from helpers import ROOT


def test_compatibility_table_matches_the_data():
    result = subprocess.run(
        [sys.executable, "scripts/compat_table.py", "--check"], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_readme_has_exactly_the_two_setup_commands():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    setup = readme.split("## Set up", 1)[1].split("\n## ", 1)[0]
    commands = re.findall(r"```sh\n(.*?)\n```", setup, re.DOTALL)
    assert commands == [
        "uvx --with copier-template-extensions copier copy --trust --defaults gh:org/uv-torch-template my-project",
        "uv run --group test pytest",
    ]
    # .ci/run runs the same test command.
    assert commands[1] in (ROOT / ".ci" / "run").read_text()
