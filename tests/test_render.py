"""Render the template (pytest-copie) over a broad matrix of answers and check each result."""

from __future__ import annotations

import itertools
import tomllib

import pytest
import yaml
from packaging.markers import Marker

from helpers import answers_for, matrix, render, torch_plan
from render_checks import ENVIRONMENTS, check_rendering

PLATFORM_SETS = [
    ["linux-x86_64", "linux-aarch64", "macos-arm64", "windows-x86_64"],
    ["linux-x86_64", "linux-aarch64", "macos-arm64"],
    ["linux-x86_64", "windows-x86_64"],
    ["linux-aarch64", "macos-arm64"],
    ["linux-x86_64"],
]
OPTIONS = itertools.cycle(
    [
        {"lock_policy": "commit", "ci": "github"},
        {"lock_policy": "ignore", "ci": "github"},
        {"lock_policy": "commit", "ci": "none"},
    ]
)


def _matrix():
    """Every torch minor x each of its backends x both modes, rotating platform sets,
    library sets and the remaining options so that each of them is met many times."""
    rotation = itertools.count()
    for release in matrix.RELEASES:
        library_sets = [[], *([lib] for lib in release.libraries), list(release.libraries)]
        for backend in release.backends:
            for mode in ("platform", "extra"):
                n = next(rotation)
                platforms = PLATFORM_SETS[n % len(PLATFORM_SETS)]
                if not set(platforms) & set(release.backends[backend].platforms):
                    platforms = PLATFORM_SETS[0]
                backends = [backend] if mode == "platform" else sorted({backend, "cpu"})
                yield pytest.param(
                    answers_for(
                        torch_version=release.minor,
                        python_version=release.pythons[n % len(release.pythons)],
                        backend_selection=mode,
                        backends=backends,
                        platforms=platforms,
                        torch_libraries=library_sets[n % len(library_sets)],
                        **next(OPTIONS),
                    ),
                    id=f"{release.minor}-{backend}-{mode}-{len(platforms)}p",
                )


@pytest.mark.parametrize("answers", list(_matrix()))
def test_rendering_is_valid_and_routes_every_platform(copie, answers):
    result, _ = render(copie, **answers)
    check_rendering(result.project_dir, answers)


def test_defaults_render_a_working_project(copie):
    result = copie.copy(extra_answers={})
    assert result.exception is None, result.exception
    answers = result.answers
    assert answers["torch_version"] == torch_plan.torch_versions()[0]
    assert answers["backends"] == torch_plan.default_backends(answers["torch_version"])
    assert answers["platforms"] == torch_plan.platform_choices()
    assert answers["package_name"] == "my_torch_project"
    check_rendering(result.project_dir, answers)
    files = {p.relative_to(result.project_dir).as_posix() for p in result.project_dir.rglob("*") if p.is_file()}
    assert files == {
        ".copier-answers.yml", ".gitignore", ".pre-commit-config.yaml", ".python-version", "README.md", "pyproject.toml",
        ".github/workflows/ci.yml", "src/my_torch_project/__init__.py",
        "src/my_torch_project/smoke.py", "src/my_torch_project/hardware.py", "tools/pick_backend.py",
        "tests/test_gpu_smoke.py",
    }


def test_template_file_names_are_windows_safe_and_only_templates_say_jinja(template_root):
    for path in (template_root / "template").rglob("*"):
        relative = path.relative_to(template_root / "template").as_posix()
        assert not set('<>:"|?*\\') & set(relative), relative
        if path.is_file():
            templated = "{{" in path.read_text() or "{%" in path.read_text()
            assert templated is path.name.endswith(".jinja"), relative


def test_computed_values_are_not_recorded(copie):
    result = copie.copy(extra_answers={})
    recorded = yaml.safe_load((result.project_dir / ".copier-answers.yml").read_text())
    assert "torch_release" not in recorded


def test_rendered_python_files_compile(copie):
    for mode, backends in (("platform", ["cu128"]), ("extra", ["cpu", "cu128", "rocm6.4"])):
        result, _ = render(copie, torch_version="2.9", backend_selection=mode, backends=backends,
                           torch_libraries=["torchvision", "torchaudio"])
        for path in result.project_dir.rglob("*.py"):
            compile(path.read_text(encoding="utf-8"), str(path), "exec")


# --- the article's scenario (shared/SEED.md) ------------------------------------------------

ARTICLE_SOURCES = {
    "torch-cuda": "sys_platform == 'linux' and platform_machine == 'x86_64'",
    "torch-cpu": "sys_platform == 'darwin' or (sys_platform == 'linux' and platform_machine == 'aarch64')",
}


def _index_for(sources, platform):
    hits = [s["index"] for s in sources if s.get("marker") is None or Marker(s["marker"]).evaluate(ENVIRONMENTS[platform])]
    assert len(hits) == 1, (platform, hits)
    return hits[0]


def test_the_article_scenario_renders_the_article_configuration(copie):
    result, pyproject = render(
        copie, torch_version="2.5", python_version="3.11", backend_selection="platform",
        backends=["cu124"], platforms=["linux-x86_64", "linux-aarch64", "macos-arm64"],
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


def test_adding_windows_to_the_article_routes_it_to_cuda(copie):
    _, pyproject = render(
        copie, torch_version="2.5", python_version="3.11", backend_selection="platform",
        backends=["cu124"], platforms=["linux-x86_64", "linux-aarch64", "macos-arm64", "windows-x86_64"],
        torch_libraries=["torchvision"],
    )
    sources = pyproject["tool"]["uv"]["sources"]
    for package in ("torch", "torchvision"):
        assert _index_for(sources[package], "windows-x86_64") == "pytorch-cu124"
        assert _index_for(sources[package], "linux-aarch64") == "pytorch-cpu"


def test_index_url_of_a_mirror_is_used_for_every_backend(copie):
    result, pyproject = render(copie, torch_version="2.9", backend_selection="extra",
                               backends=["cpu", "cu128"], pytorch_index_url="https://mirror.example.org/pytorch/whl/")
    urls = sorted(i["url"] for i in pyproject["tool"]["uv"]["index"])
    assert urls == ["https://mirror.example.org/pytorch/whl/cpu", "https://mirror.example.org/pytorch/whl/cu128"]
    readme = (result.project_dir / "README.md").read_text()
    assert "UV_INDEX_PYTORCH_CU128_USERNAME" in readme
