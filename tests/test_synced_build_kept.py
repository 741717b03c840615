"""The README's set-up command in extra mode, as pasted on a machine with `python3` and uv but
no `python` (Debian, Ubuntu); and the commands it gives after `uv sync --extra <x>` keep the build
that was synced (item 10 of issue 10). Proven with uv on the stand-in index.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import answers_for, render
from uv_helpers import UV, lock, uv, uv_environment

pytestmark = pytest.mark.network

TORCH = "import importlib.metadata as m; print(m.version('torch'))"


def test_plain_uv_run_keeps_the_synced_extra_and_run_extra_cpu_does_not(copie, catalogue_index, tmp_path):
    answers = answers_for(
        torch_version="2.12",
        python_version="3.11",
        backend_selection="extra",
        backends=["cu130", "cpu"],
        platforms=["linux-x86_64"],
        torch_libraries=[],
        pytorch_index_url=catalogue_index,
    )
    result, _ = render(copie, **answers)
    project = result.project_dir
    env = uv_environment(tmp_path / "uv-cache")
    lock(project, env)
    readme = (project / "README.md").read_text(encoding="utf-8")
    commands = [
        line for block in re.findall(r"```\w+\n(.*?)```", readme, re.S) for line in block.splitlines()
    ]
    setup = 'uv sync --extra "$(uv run tools/pick_backend.py)"'
    assert setup in commands
    # A PATH with uv and python3 alone; the picker, asked for cu130 (no GPU here), says so.
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "uv").symlink_to(UV)
    (bin_dir / "python3").symlink_to(Path(sys.executable).resolve())
    assert shutil.which("python", path=str(bin_dir)) is None
    synced = subprocess.run(
        ["/bin/bash", "-c", setup],
        cwd=project,
        env={**env, "PATH": str(bin_dir), "PICK_BACKEND": "cu130"},
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert synced.returncode == 0, synced.stderr
    assert "pick_backend: PICK_BACKEND=cu130 chooses cu130" in synced.stderr

    def torch(*extra: str) -> str:
        return uv(["run", *extra, "python", "-c", TORCH], project, env).stdout.strip()

    # What the README says after this change: plain `uv run` syncs inexactly and keeps it.
    assert torch().endswith("+cu130")
    # What it said before: `uv run --extra cpu` swaps the synced build for another.
    assert torch("--extra", "cpu").endswith("+cpu")
    runs = [line for line in commands if line.startswith("uv run")]
    assert runs and not [line for line in runs if "--extra" in line], runs
