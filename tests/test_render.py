"""Render the template (pytest-copie) for a few representative answer sets and check each result.

The breadth (every torch minor x backend x mode x platform set) is in tests/test_plan.py, on
the plan alone; these renders prove the template prints a plan faithfully in each of its shapes.
"""

from __future__ import annotations

import fnmatch
import re

import pytest
import yaml
from packaging.markers import Marker

from helpers import answers_for, render, torch_plan
from render_checks import ENVIRONMENTS, check_rendering

ALL = ["linux-x86_64", "linux-aarch64", "macos-arm64", "windows-x86_64"]
REPRESENTATIVE = {
    # one per mode and per backend kind, both values of each option, the oldest and the newest
    # torch, one platform and all four, a build no source confirms (2.15 cu132), a mirror
    "cuda-platform": dict(
        torch_version="2.9", backends=["cu128"], platforms=ALL, torch_libraries=["torchvision", "torchaudio"]
    ),
    "every-kind-extra": dict(
        torch_version="2.9",
        backend_selection="extra",
        backends=["cpu", "cu128", "rocm6.4", "xpu"],
        platforms=ALL,
        torch_libraries=["torchvision"],
        lock_policy="ignore",
        ci="none",
    ),
    "rocm-platform": dict(
        torch_version="2.13",
        backends=["rocm7.2"],
        platforms=["linux-x86_64", "linux-aarch64", "macos-arm64"],
        torch_libraries=[],
        lock_policy="ignore",
    ),
    "xpu-platform": dict(
        torch_version="2.12",
        backends=["xpu"],
        platforms=["linux-x86_64", "windows-x86_64"],
        torch_libraries=["torchvision"],
        ci="none",
    ),
    "cpu-oldest-one-platform": dict(
        torch_version="2.4",
        python_version="3.8",
        backends=["cpu"],
        platforms=["linux-aarch64"],
        torch_libraries=["torchaudio"],
    ),
    "windows-arm64": dict(
        torch_version="2.13",
        python_version="3.12",
        backends=["cu130"],
        platforms=[*ALL, "windows-arm64"],
        torch_libraries=[],
    ),
    "free-threaded-rocm7.14": dict(
        torch_version="2.14",
        python_version="3.14t",
        backend_selection="extra",
        backends=["cpu", "rocm7.14"],
        platforms=["linux-x86_64", "macos-arm64"],
        torch_libraries=["torchvision", "torchcodec"],
    ),
    "one-extra-newest-mirror": dict(
        torch_version="2.15",
        python_version="3.15",
        backend_selection="extra",
        backends=["cu132"],
        platforms=["linux-aarch64", "macos-arm64"],
        pytorch_index_url="https://mirror.example.org/pytorch/whl/",
    ),
}


@pytest.mark.parametrize("answers", REPRESENTATIVE.values(), ids=REPRESENTATIVE.keys())
def test_rendering_is_valid_and_routes_every_platform(copie, answers):
    answers = answers_for(**answers)
    result, _ = render(copie, **answers)
    check_rendering(result.project_dir, answers)


def test_defaults_render_a_working_project(copie):
    result = copie.copy(extra_answers={})
    assert result.exception is None, result.exception
    answers = result.answers
    assert answers["torch_version"] == torch_plan.default_torch_version()
    assert answers["backends"] == torch_plan.default_backends(answers["torch_version"])
    assert answers["platforms"] == torch_plan.default_platforms()
    assert answers["package_name"] == "my_torch_project"
    check_rendering(result.project_dir, answers)
    recorded = yaml.safe_load((result.project_dir / ".copier-answers.yml").read_text())
    assert "torch_release" not in recorded  # computed, never asked: not recorded
    files = {
        p.relative_to(result.project_dir).as_posix() for p in result.project_dir.rglob("*") if p.is_file()
    }
    assert files == {
        ".copier-answers.yml",
        ".gitignore",
        ".pre-commit-config.yaml",
        ".python-version",
        "README.md",
        "pyproject.toml",
        ".github/dependabot.yml",
        ".github/workflows/ci.yml",
        ".github/workflows/template-update.yml",
        "src/my_torch_project/__init__.py",
        "tools/pick_backend.py",
        "tools/torch_hardware.py",
        "tools/torch_project.json",
        "tools/torch_smoke.py",
        "tests/test_gpu_smoke.py",
        "tests/test_lock.py",
    }


def test_template_file_names_are_windows_safe_and_only_templates_say_jinja(template_root):
    excluded = yaml.safe_load((template_root / "copier.yml").read_text())["_exclude"]
    for path in (template_root / "template").rglob("*"):
        relative = path.relative_to(template_root / "template").as_posix()
        if any(fnmatch.fnmatch(part, pattern) for part in relative.split("/") for pattern in excluded):
            continue  # never rendered
        assert not set('<>:"|?*\\') & set(relative), relative
        if path.is_file():
            templated = "{{" in path.read_text() or "{%" in path.read_text()
            assert templated is path.name.endswith(".jinja"), relative


# Copier renders a name nothing defines as empty text, silently: every name a template file
# reads must be a question, a global of the extension, what PlanHook adds, Copier's own, or set
# in that file.
PLAN_HOOK_NAMES = {"plan", "deploy_target"}
COPIER_NAMES = {"_copier_answers", "_copier_conf", "_copier_phase", "_copier_python", "_copier_version"}


def test_every_name_a_template_file_reads_is_defined(template_root):
    from jinja2 import Environment, meta

    from extensions.copier_hooks import TorchTemplateExtension

    # the extensions copier.yml and Copier itself load
    extensions = ["jinja2_ansible_filters.AnsibleCoreFiltersExtension", TorchTemplateExtension]
    environment = Environment(extensions=extensions)
    questions = yaml.safe_load((template_root / "copier.yml").read_text())
    known = {q for q in questions if not q.startswith("_")} | set(environment.globals)
    known |= PLAN_HOOK_NAMES | COPIER_NAMES
    undefined = {}
    for path in (template_root / "template").rglob("*"):
        relative = path.relative_to(template_root / "template").as_posix()
        text = path.read_text() if path.is_file() and path.name.endswith(".jinja") else ""
        assigned = set(re.findall(r"\{%-?\s*set\s+(\w+)", text))
        for source in (relative, text):
            names = meta.find_undeclared_variables(environment.parse(source)) - known - assigned
            undefined.update({name: relative for name in names})
    assert not undefined


# --- the article's scenario (shared/SEED.md) ------------------------------------------------

ARTICLE_SOURCES = {
    "torch-cuda": "sys_platform == 'linux' and platform_machine == 'x86_64'",
    "torch-cpu": "sys_platform == 'darwin' or (sys_platform == 'linux' and platform_machine == 'aarch64')",
}


def _index_for(sources, platform):
    hits = [
        s["index"]
        for s in sources
        if s.get("marker") is None or Marker(s["marker"]).evaluate(ENVIRONMENTS[platform])
    ]
    assert len(hits) == 1, (platform, hits)
    return hits[0]


def test_the_article_scenario_renders_the_article_configuration(copie):
    result, pyproject = render(
        copie,
        torch_version="2.5",
        python_version="3.11",
        backend_selection="platform",
        backends=["cu124"],
        platforms=["linux-x86_64", "linux-aarch64", "macos-arm64"],
        torch_libraries=["torchvision"],
    )
    uv = pyproject["tool"]["uv"]
    urls = {i["name"]: i["url"] for i in uv["index"]}
    assert urls == {
        "pytorch-cu124": "https://download.pytorch.org/whl/cu124",
        "pytorch-cpu": "https://download.pytorch.org/whl/cpu",
    }
    assert all(i["explicit"] for i in uv["index"])  # the article's "must not be forgotten"
    article_index = {"torch-cuda": "pytorch-cu124", "torch-cpu": "pytorch-cpu"}
    for package in ("torch", "torchvision"):
        for platform in ("linux-x86_64", "linux-aarch64", "macos-arm64"):
            article = [n for n, m in ARTICLE_SOURCES.items() if Marker(m).evaluate(ENVIRONMENTS[platform])]
            assert _index_for(uv["sources"][package], platform) == article_index[article[0]]
    assert pyproject["project"]["dependencies"] == ["torch==2.5.*", "torchvision==0.20.*"]
