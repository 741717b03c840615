"""What uv resolves for rendered projects, against a PyTorch-like index on 127.0.0.1.

The index (tests/pytorch_index.py) is written from what the real index serves, not from the
template's data: where the two disagree, `uv lock` or these checks fail.
"""

from __future__ import annotations

import re
import subprocess
import sys
from urllib.parse import unquote

import pytest

from helpers import answers_for, render, torch_plan
from pytorch_index import (
    CATALOGUE,
    LIBRARIES,
    IndexServer,
    LocalIndex,
    Wheel,
    article_pyproject,
    catalogue_wheels,
    library_wheels,
)
from uv_helpers import export, lock, resolved_for, uv, uv_environment

pytestmark = pytest.mark.network

ALL = ["linux-x86_64", "linux-aarch64", "macos-arm64", "windows-x86_64"]
WHEEL_PLATFORM = {  # a piece of the wheel file name of each platform
    "linux-x86_64": "_x86_64.whl",
    "linux-aarch64": "_aarch64.whl",
    "macos-arm64": "-macosx_",
    "windows-x86_64": "-win_amd64.whl",
    "windows-arm64": "-win_arm64.whl",
}
DECOY = Wheel("iniconfig", "99.0.0", "py3", "none", "any")  # a PyPI name, higher than PyPI's


@pytest.fixture(scope="session")
def pytorch_index(tmp_path_factory):
    """The stand-in index, with a higher-versioned copy of a PyPI package in every backend."""
    wheels = catalogue_wheels()
    for backend in wheels:
        wheels[backend].append(DECOY)
    index = LocalIndex(tmp_path_factory.mktemp("pytorch-index"), wheels)
    index.write()
    with IndexServer(index.root) as server:
        yield server.base_url


@pytest.fixture(scope="session")
def uv_env(tmp_path_factory):
    return uv_environment(tmp_path_factory.mktemp("uv-cache"))


def locked_project(copie, pytorch_index, uv_env, **answers):
    answers = answers_for(**{"python_version": "3.11", **answers}, pytorch_index_url=pytorch_index)
    result, pyproject = render(copie, **answers)
    if answers["python_version"].endswith("t"):
        # uv lock wants an interpreter inside requires-python, and this machine has no 3.14t (nor
        # may it download one). Start the range at the interpreter the tests run: the lock
        # still resolves for 3.14, and the checks below look for the free-threaded wheels.
        path = result.project_dir / "pyproject.toml"
        wanted = pyproject["project"]["requires-python"]
        running = f">={sys.version_info.major}.{sys.version_info.minor},"
        path.write_text(path.read_text().replace(wanted, running + wanted.split(",", 1)[1], 1))
    lock(result.project_dir, uv_env)
    return result.project_dir, answers


def expected_build(answers, backend: str, platform: str) -> str:
    """What the witness says this platform should get: the backend where its index has a
    build for the platform, else the CPU build."""
    release = torch_plan.release(answers["torch_version"]).latest
    return backend if platform in CATALOGUE[release].get(backend, ()) else "cpu"


PYPI = "https://pypi.org/simple"


def index_serving(base_url: str, release: str, name: str, backend: str, platform: str) -> str:
    """Where the witness holds `name` for this platform: the index torch comes from, else the
    cpu index, else only PyPI."""
    library = LIBRARIES[release].get(name)
    for index in (backend, "cpu"):
        if library is None or library_wheels(release, index, platform, "cp311", name, library):
            return f"{base_url}/{index}"
    return PYPI


def assert_platform_gets(packages, platform, backend, base_url, libraries):
    got = resolved_for(packages, platform)
    release = got["torch"]["version"].partition("+")[0]
    for name in ["torch", *libraries]:
        want = index_serving(base_url, release, name, backend, platform)
        assert got[name]["index"] == want, (name, platform, got[name])
    label = got["torch"]["version"].partition("+")[2]
    assert label in ("", backend), (platform, got["torch"]["version"])  # unlabelled: macOS, aarch64
    return got


PLATFORM_CASES = [
    ("2.9", "cu128", ["torchvision", "torchaudio"]),
    ("2.9", "cu130", ["torchvision"]),  # CUDA on aarch64 too
    ("2.9", "cu126", ["torchvision"]),  # no aarch64 build: the CPU one there
    ("2.9", "rocm6.4", ["torchvision"]),  # pytorch-triton-rocm from the ROCm index
    ("2.9", "xpu", []),
    ("2.12", "cu132", ["torchvision"]),
    # torchaudio 2.11.1 (py3, torch>=2.11) with 2.12; torchao from the CUDA index on Linux
    # x86_64 and PyPI elsewhere; torchcodec from the cpu index on aarch64 (PyPI's is a CUDA build).
    ("2.12", "cu130", ["torchvision", "torchaudio", "torchao", "torchcodec"]),
    ("2.12", "xpu", ["torchvision"]),  # triton-xpu, the name since 2.10
    ("2.9", "cpu", ["torchvision"]),
]


@pytest.mark.parametrize("torch_version,backend,libraries", PLATFORM_CASES)
def test_platform_mode_gives_each_platform_its_build(
    copie, pytorch_index, uv_env, torch_version, backend, libraries
):
    project, answers = locked_project(
        copie,
        pytorch_index,
        uv_env,
        torch_version=torch_version,
        backends=[backend],
        platforms=ALL,
        torch_libraries=libraries,
    )
    libraries = torch_plan.chosen_libraries(libraries)
    packages = export(project, uv_env)
    releases = set()
    for platform in ALL:
        want = expected_build(answers, backend, platform)
        got = assert_platform_gets(packages, platform, want, pytorch_index, libraries)
        releases.add(got["torch"]["version"].partition("+")[0])
        kind = torch_plan.backend_kind(want)
        triton = [n for n in got if "triton" in n]
        assert bool(triton) == (kind in ("rocm", "xpu")), (platform, triton)
        for name in triton:
            assert got[name]["index"] == f"{pytorch_index}/{want}"
        assert any(n.startswith("nvidia-") for n in got) == (kind == "cuda" and platform.startswith("linux"))
    assert releases == {torch_plan.release(torch_version).latest}  # the same torch everywhere


def wheel_names(package: dict) -> list[str]:
    return [unquote(w.get("name") or w["url"].rsplit("/", 1)[1]) for w in package.get("wheels", [])]


def assert_each_extra_gets_its_builds(project, answers, base_url, uv_env):
    """Every extra, on every selected platform: torch and the libraries from the index the
    witness says, a triton companion from the same index where that is ROCm or XPU, and a
    wheel for the project's Python (`cp314t` for 3.14t). Returns the export per backend."""
    python = answers["python_version"]
    abi = f"cp{python.replace('.', '')}" if python.endswith("t") else None
    exports = {}
    for backend in answers["backends"]:
        packages = exports[backend] = export(project, uv_env, (torch_plan.extra_name(backend),))
        for platform in answers["platforms"]:
            want = expected_build(answers, backend, platform)
            got = assert_platform_gets(packages, platform, want, base_url, answers["torch_libraries"])
            triton = [n for n in got if "triton" in n]
            assert bool(triton) == (torch_plan.backend_kind(want) in ("rocm", "xpu")), (platform, triton)
            assert all(got[n]["index"] == f"{base_url}/{want}" for n in triton), (platform, triton)
            if abi:
                for name in ["torch", *answers["torch_libraries"], *triton]:
                    wheels = wheel_names(got[name])
                    assert any(f"-{abi}-" in w and WHEEL_PLATFORM[platform] in w for w in wheels), (
                        backend,
                        platform,
                        name,
                        wheels,
                    )
    return exports


def test_extra_mode_gives_each_extra_its_build_and_refuses_two(copie, pytorch_index, uv_env):
    project, answers = locked_project(
        copie,
        pytorch_index,
        uv_env,
        torch_version="2.9",
        backend_selection="extra",
        backends=["cpu", "cu128", "rocm6.4"],
        platforms=ALL,
        torch_libraries=["torchvision", "torchao"],
    )
    exports = assert_each_extra_gets_its_builds(project, answers, pytorch_index, uv_env)
    for backend, packages in exports.items():
        for platform in ALL:  # torchao 0.15.0 loads its ops with torch 2.9.1 only: the pin leaves no other
            got = resolved_for(packages, platform)
            assert got["torch"]["version"].startswith("2.9.1")
            assert got["torchao"]["version"].startswith("0.15.0")
        text = repr(packages)
        if backend == "cpu":  # the CPU build pulls nothing CUDA, ROCm or triton
            assert not re.search(r"nvidia-|triton|\+cu\d", text), text
        if backend == "cu128":
            assert "nvidia-cuda-runtime-cu12" in text
    both = uv(
        ["sync", "--frozen", "--dry-run", "--extra", "cpu", "--extra", "cu128", "--python", sys.executable],
        project,
        uv_env,
        check=False,
    )
    assert both.returncode != 0
    assert "conflict" in both.stderr.lower(), both.stderr


# The audit's corrections and additions (shared/torch-matrix.md), a few per lock.
NEW_FACT_CASES = [
    # ROCm 7.14 next to 7.2 (triton-rocm from each), CUDA 13.4 on Linux only.
    {
        "torch_version": "2.14",
        "backends": ["cpu", "cu134", "rocm7.2", "rocm7.14"],
        "platforms": ALL,
        "torch_libraries": ["torchvision"],
    },
    # 2.8: cu128 has no aarch64 build, cu129 has aarch64 and Windows; Windows ARM64 gets the CPU
    # build (torch only: no library has wheels for it), with exact markers next to Windows x86_64.
    {
        "torch_version": "2.8",
        "backends": ["cpu", "cu128", "cu129"],
        "platforms": [*ALL, "windows-arm64"],
        "torch_libraries": [],
    },
    # Free-threaded 3.14t; cu126 on aarch64 for 2.9, cu129 without Windows, the older rocm6.3.
    {
        "torch_version": "2.9",
        "python_version": "3.14t",
        "backends": ["cu126", "cu129", "rocm6.3"],
        "platforms": ALL,
        "torch_libraries": ["torchvision"],
    },
]


@pytest.mark.parametrize(
    "case", NEW_FACT_CASES, ids=lambda c: f"{c['torch_version']}-{'-'.join(c['backends'])}"
)
def test_new_builds_platforms_and_pythons_lock_as_the_index_serves_them(copie, pytorch_index, uv_env, case):
    project, answers = locked_project(copie, pytorch_index, uv_env, backend_selection="extra", **case)
    exports = assert_each_extra_gets_its_builds(project, answers, pytorch_index, uv_env)
    if "rocm7.14" in answers["backends"]:
        # rocm[libraries,device-all] from the rocm7.14 index, not PyPI's placeholders (issue 21, 9)
        got = resolved_for(exports["rocm7.14"], "linux-x86_64")
        rocm = {name: p for name, p in got.items() if name == "rocm" or name.startswith("rocm-sdk-")}
        assert len(rocm) == 28 and {p["index"] for p in rocm.values()} == {f"{pytorch_index}/rocm7.14"}
        assert rocm["rocm"]["version"] == "7.14.0.post1" and rocm["rocm-sdk-core"]["version"] == "7.14.0"
    if "windows-arm64" in answers["platforms"]:
        for backend, packages in exports.items():
            got = resolved_for(packages, "windows-arm64")["torch"]
            assert got["version"].endswith("+cpu"), (backend, got["version"])
            assert any(w.endswith("-cp311-cp311-win_arm64.whl") for w in wheel_names(got)), got["wheels"]


def test_the_article_scenario_locks_like_the_article(copie, pytorch_index, uv_env, tmp_path):
    project, answers = locked_project(
        copie,
        pytorch_index,
        uv_env,
        torch_version="2.5",
        backends=["cu124"],
        platforms=["linux-x86_64", "linux-aarch64", "macos-arm64"],
        torch_libraries=["torchvision"],
    )
    ours = export(project, uv_env)
    article = tmp_path / "article"
    article.mkdir()
    (article / "pyproject.toml").write_text(article_pyproject(pytorch_index))
    lock(article, uv_env)
    theirs = export(article, uv_env)
    for platform in ["linux-x86_64", "linux-aarch64", "macos-arm64"]:
        mine, the_article = resolved_for(ours, platform), resolved_for(theirs, platform)
        for name in ("torch", "torchvision"):
            assert mine[name]["index"] == the_article[name]["index"], (platform, name)
    # aarch64: the cu124 index holds an unlabelled CPU torch too; both route it to the cpu index.
    assert resolved_for(ours, "linux-aarch64")["torch"]["index"] == f"{pytorch_index}/cpu"


def test_dependency_confusion_a_pypi_package_stays_on_pypi(copie, pytorch_index, uv_env):
    project, _ = locked_project(copie, pytorch_index, uv_env, torch_version="2.9", backends=["cu128"])
    uv(["add", "--no-sync", "--python", sys.executable, "iniconfig"], project, uv_env)
    lockfile = (project / "uv.lock").read_text()
    entry = re.search(
        r'\[\[package\]\]\nname = "iniconfig"\nversion = "([^"]+)"\nsource = \{ registry = "([^"]+)" \}',
        lockfile,
    )
    assert entry, lockfile
    assert entry.group(2) == "https://pypi.org/simple"
    assert entry.group(1) != "99.0.0"


def test_a_selected_platform_without_wheels_fails_the_lock_loudly(copie, uv_env, tmp_path_factory):
    # A mirror that never synced the aarch64 wheels of cu128.
    catalogue = {"2.9.1": {**CATALOGUE["2.9.1"], "cu128": ("linux-x86_64", "windows-x86_64")}}
    index = LocalIndex(tmp_path_factory.mktemp("partial-index"), catalogue_wheels(catalogue))
    index.write()
    with IndexServer(index.root) as server:
        answers = answers_for(
            python_version="3.11",
            pytorch_index_url=server.base_url,
            torch_version="2.9",
            backends=["cu128"],
            platforms=ALL,
            torch_libraries=[],
        )
        result, _ = render(copie, **answers)
        failed = lock(result.project_dir, uv_env, check=False)
    assert failed.returncode != 0
    assert "platform_machine == 'aarch64'" in failed.stderr and "compatible wheels" in failed.stderr, (
        failed.stderr
    )


@pytest.mark.parametrize("policy", ["commit", "ignore"])
def test_lock_policy(copie, pytorch_index, uv_env, policy):
    project, _ = locked_project(
        copie, pytorch_index, uv_env, torch_version="2.9", backends=["cpu"], lock_policy=policy
    )
    subprocess.run(["git", "init", "-q"], cwd=project, check=True)
    ignored = subprocess.run(["git", "check-ignore", "-q", "uv.lock"], cwd=project).returncode == 0
    assert ignored is (policy == "ignore")
    workflow = (project / ".github" / "workflows" / "ci.yml").read_text()
    assert ("uv lock --check" in workflow) is (policy == "commit")
    assert ("uv sync --locked" in workflow) is (policy == "commit")
    if policy == "commit":
        # What CI's `uv lock --check` catches: a pyproject changed without relocking.
        assert (
            uv(["lock", "--check", "--python", sys.executable], project, uv_env, check=False).returncode == 0
        )
        pyproject = project / "pyproject.toml"
        pyproject.write_text(
            pyproject.read_text().replace("dependencies = [", 'dependencies = [\n    "iniconfig",', 1)
        )
        stale = uv(["lock", "--check", "--python", sys.executable], project, uv_env, check=False)
        assert stale.returncode != 0
