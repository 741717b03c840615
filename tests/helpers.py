"""Helpers the tests import: the repository root, the planning module and rendering shortcuts.

Kept out of conftest.py, which pytest loads by itself and advises against importing.
"""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path

from packaging.markers import Marker

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from extensions import torch_plan  # noqa: E402

matrix = torch_plan.matrix

# What the interpreter of each platform reports, to evaluate the markers of a render or a lock.
PLATFORM_ENVIRONMENTS = {
    key: {
        "sys_platform": p.sys_platform,
        "platform_machine": p.machine,
        "platform_system": {"linux": "Linux", "darwin": "Darwin", "win32": "Windows"}[p.sys_platform],
        "os_name": "nt" if p.sys_platform == "win32" else "posix",
    }
    for key, p in matrix.PLATFORMS.items()
}


def marker_matches(marker: str | None, platform: str, extra: str | None = None) -> bool:
    """Whether a PEP 508 marker (None: always) holds on a platform, with an extra selected."""
    environment = {**PLATFORM_ENVIRONMENTS[platform], "extra": extra or ""}
    return marker is None or Marker(marker).evaluate(environment)


def answers_for(**overrides) -> dict:
    """A complete, valid set of answers; tests override what they are about."""
    torch_version = overrides.get("torch_version", torch_plan.default_torch_version())
    answers = {
        "project_name": "demo-project",
        "torch_version": torch_version,
        "python_version": torch_plan.default_python(torch_version),
        "backend_selection": "platform",
        "backends": torch_plan.default_backends(torch_version),
        "platforms": torch_plan.default_platforms(),
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
