"""Helpers the tests import: the repository root, the planning module and rendering shortcuts.

Kept out of conftest.py, which pytest loads by itself and advises against importing.
"""

from __future__ import annotations

import os
import platform
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from extensions import torch_plan  # noqa: E402

matrix = torch_plan.matrix


def answers_for(**overrides) -> dict:
    """A complete, valid set of answers; tests override what they are about."""
    torch_version = overrides.get("torch_version", torch_plan.torch_versions()[0])
    answers = {
        "project_name": "demo-project",
        "torch_version": torch_version,
        "python_version": torch_plan.default_python(torch_version),
        "backend_selection": "platform",
        "backends": torch_plan.default_backends(torch_version),
        "platforms": torch_plan.platform_choices(),
        "torch_libraries": torch_plan.default_libraries(torch_version),
    }
    answers.update(overrides)
    return answers


def render(copie, **overrides):
    """Render the template with pytest-copie; returns (result, parsed pyproject)."""
    answers = answers_for(**overrides)
    result = copie.copy(extra_answers=answers)
    assert result.exception is None, result.exception
    assert result.exit_code == 0
    pyproject = tomllib.loads((result.project_dir / "pyproject.toml").read_text(encoding="utf-8"))
    return result, pyproject


# --- the real CPU torch wheel in pip's find-links -------------------------------------------

WHEEL = re.compile(r"torch-(\d+\.\d+)\.\d+\+cpu-cp311-cp311-.*x86_64\.whl$")


def find_links() -> list[Path]:
    """The directories pip is configured to find wheels in (PIP_FIND_LINKS or pip config)."""
    value = os.environ.get("PIP_FIND_LINKS", "")
    if not value:
        pip = [sys.executable, "-m", "pip"] if shutil.which("pip") is None else ["pip"]
        try:
            value = subprocess.run(
                [*pip, "config", "get", "global.find-links"], capture_output=True, text=True, timeout=60
            ).stdout
        except (OSError, subprocess.SubprocessError):
            value = ""
    return [Path(p) for p in value.split() if Path(p).is_dir()]


def real_torch_wheel() -> Path | None:
    for directory in find_links():
        for path in sorted(directory.glob("torch-*.whl")):
            if WHEEL.search(path.name):
                return path
    return None


def real_torch_or_skip() -> tuple[Path, str]:
    """The real CPU torch wheel and its minor series, or skip the test saying why."""
    if sys.platform != "linux" or platform.machine() != "x86_64" or sys.version_info[:2] != (3, 11):
        pytest.skip("the real CPU torch wheel is for CPython 3.11 on Linux x86_64")
    wheel = real_torch_wheel()
    if wheel is None:
        pytest.skip("pip's find-links holds no real torch CPU wheel (torch-*+cpu-cp311-*x86_64.whl)")
    return wheel, WHEEL.search(wheel.name).group(1)
