"""What the project owns and what the template owns (shared/DESIGN.md): the user's package holds
only the user's code, and the template's tools are the same bytes in every project, whatever
the answers; only tools/torch_project.json differs."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import copier
import pytest

from helpers import TOOLS, answers_for, torch_plan

CASES = {
    "default": {},
    "extra": {"torch_version": "2.12", "backend_selection": "extra", "backends": ["cpu", "cu126", "cu130"]},
    "rocm-libraries": {
        "torch_version": "2.9",
        "backends": ["rocm6.4"],
        "platforms": ["linux-x86_64", "macos-arm64"],
        "torch_libraries": ["torchvision", "torchaudio", "torchao"],
        "deploy": ["docker", "slurm"],
    },
}


@pytest.fixture(scope="module")
def projects(template_copy, tmp_path_factory) -> dict[str, tuple[Path, dict]]:
    made = {}
    for case, overrides in CASES.items():
        answers = answers_for(**overrides)
        destination = tmp_path_factory.mktemp(case) / "project"
        copier.run_copy(
            str(template_copy), str(destination), data=answers, defaults=True, unsafe=True, quiet=True
        )
        made[case] = destination, answers
    return made


def test_the_package_holds_only_its_init(projects):
    for project, _ in projects.values():
        assert [p.name for p in (project / "src" / "demo_project").iterdir()] == ["__init__.py"]


def test_the_tools_are_the_same_bytes_in_every_project_and_in_this_repository(projects):
    expected = {path.name: path.read_bytes() for path in TOOLS.glob("*.py")}
    assert set(expected) == {"pick_backend.py", "torch_hardware.py", "torch_smoke.py"}
    for project, answers in projects.values():
        tools = {path.name: path.read_bytes() for path in (project / "tools").iterdir()}
        assert set(tools) == {*expected, "torch_project.json"}
        assert {name: tools[name] for name in expected} == expected
        data = json.loads(tools["torch_project.json"])
        plan = torch_plan.make_plan(
            **{k: answers[k] for k in ("torch_version", "python_version", "backend_selection")},
            backends=answers["backends"],
            platforms=answers["platforms"],
            torch_libraries=answers["torch_libraries"],
        )
        assert data == json.loads(json.dumps(torch_plan.project_data(plan)))
    for rendered in ("tests/test_gpu_smoke.py", "tests/test_lock.py"):
        texts = {(project / rendered).read_bytes() for project, _ in projects.values()}
        assert len(texts) == 1, rendered


def test_each_tool_says_who_manages_it():
    for path in TOOLS.glob("*.py"):
        head = path.read_text(encoding="utf-8")[:2000]
        assert "Managed by uv-torch-template: `copier update` replaces this file" in head, path.name


def test_a_wheel_of_the_project_holds_the_package_alone(projects, tmp_path, monkeypatch):
    """hatchling, the project's build backend, builds it as `uv build` would."""
    from hatchling.build import build_wheel

    project, _ = projects["rocm-libraries"]
    monkeypatch.chdir(project)
    wheel = build_wheel(str(tmp_path))
    with zipfile.ZipFile(tmp_path / wheel) as archive:
        names = [n for n in archive.namelist() if ".dist-info/" not in n]
    assert names == ["demo_project/__init__.py"]
