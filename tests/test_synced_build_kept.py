"""Item 10 of issue 10: the commands the README and the post-copy message give after
`uv sync --extra <x>` must keep the build that was synced. Proven with uv on the stand-in index.
"""

from __future__ import annotations

import re

import pytest

from helpers import answers_for, render
from uv_helpers import lock, uv, uv_environment

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
    uv(["sync", "--extra", "cu130", "--python", "3.11"], project, env)

    def torch(*extra: str) -> str:
        return uv(["run", *extra, "python", "-c", TORCH], project, env).stdout.strip()

    # What the README says after this change: plain `uv run` syncs inexactly and keeps it.
    assert torch().endswith("+cu130")
    # What it said before: `uv run --extra cpu` swaps the synced build for another.
    assert torch("--extra", "cpu").endswith("+cpu")
    readme = (project / "README.md").read_text(encoding="utf-8")
    commands = [
        line for block in re.findall(r"```\w+\n(.*?)```", readme, re.S) for line in block.splitlines()
    ]
    runs = [line for line in commands if line.startswith("uv run")]
    assert runs and not [line for line in runs if "--extra" in line], runs
    assert 'uv sync --extra "$(python tools/pick_backend.py)"' in commands
