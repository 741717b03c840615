"""Helpers the tests import: the repository root, the planning module and rendering shortcuts.

Kept out of conftest.py, which pytest loads by itself and advises against importing.
"""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path

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


def load_module(path: Path):
    """A rendered Python file as a module, under a name of its own so that renders can coexist."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(f"rendered_{abs(hash(str(path)))}", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module
