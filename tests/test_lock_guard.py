"""The lock guard rendered into every project (tests/test_lock.py) passes on a right lock and
fails on one edited to route a platform elsewhere, in both modes, on the stand-in index."""

from __future__ import annotations

import re
import shlex
import subprocess

import pytest
import yaml

from helpers import answers_for, render, run_rendered_tests
from uv_helpers import UV, lock, uv_environment

pytestmark = pytest.mark.network

ALL = ["linux-x86_64", "linux-aarch64", "macos-arm64", "windows-x86_64"]


@pytest.fixture(scope="module")
def uv_env(tmp_path_factory):
    return {**uv_environment(tmp_path_factory.mktemp("uv-cache")), "UV": UV}


def run_guard(project, env) -> subprocess.CompletedProcess:
    return run_rendered_tests(project, "tests/test_lock.py", env)


def locked_and_guarded(copie, index_url, uv_env, passed: int, **answers):
    """A rendered project locked on the stand-in index, whose guard passes `passed` tests."""
    answers = answers_for(python_version="3.11", pytorch_index_url=index_url, **answers)
    result, _ = render(copie, **answers)
    project = result.project_dir
    lock(project, uv_env)
    right = run_guard(project, uv_env)
    assert right.returncode == 0, right.stdout + right.stderr
    assert f"{passed} passed" in right.stdout, right.stdout
    return project


def tamper(project, old: str, new: str) -> None:
    lockfile = project / "uv.lock"
    text = lockfile.read_text()
    assert old in text, old
    lockfile.write_text(text.replace(old, new))


def test_guard_in_platform_mode(copie, catalogue_index, uv_env):
    # one guard test per platform, none skipped
    project = locked_and_guarded(
        copie,
        catalogue_index,
        uv_env,
        len(ALL),
        torch_version="2.9",
        backends=["cu128"],
        platforms=ALL,
        torch_libraries=["torchvision"],
    )

    # The rendered CI's first job, command for command: it installs pytest, not the project.
    steps = yaml.safe_load((project / ".github" / "workflows" / "ci.yml").read_text())["jobs"]["lock"][
        "steps"
    ]
    for command in [step["run"] for step in steps if "run" in step]:
        argv = shlex.split(command)
        assert argv[0] == "uv", command
        ran = subprocess.run(
            [UV, *argv[1:]], cwd=project, env=uv_env, capture_output=True, text=True, timeout=300
        )
        assert ran.returncode == 0, f"{command}:\n{ran.stdout}{ran.stderr}"
    assert f"{len(ALL)} passed" in ran.stdout, ran.stdout
    assert list(project.glob(".venv/lib/python*/site-packages/pytest"))
    assert not list(project.glob(".venv/lib/python*/site-packages/torch*"))
    original = (project / "uv.lock").read_text()

    # macOS's torch (the only unlabelled 2.9.1) routed to the CUDA index, in its entry and where
    # the project requires it.
    for separator in (", ", "\n"):
        old = f'version = "2.9.1"{separator}source = {{ registry = "{catalogue_index}/cpu" }}'
        tamper(project, old, old.replace("/cpu", "/cu128"))
    routed = run_guard(project, uv_env)
    assert routed.returncode == 1, routed.stdout
    assert "1 failed, 3 passed" in routed.stdout, routed.stdout
    assert (
        f"macos-arm64: torch 2.9.1 comes from {catalogue_index}/cu128, not from pytorch-cpu" in routed.stdout
    )

    # macOS's torch from PyPI instead of the PyTorch CPU index (a source lost, an index not
    # explicit): PyPI's macOS wheel is the same build, but the lock no longer says so.
    (project / "uv.lock").write_text(original)
    for separator in (", ", "\n"):
        old = f'version = "2.9.1"{separator}source = {{ registry = "{catalogue_index}/cpu" }}'
        tamper(project, old, old.replace(f"{catalogue_index}/cpu", "https://pypi.org/simple"))
    pypi = run_guard(project, uv_env)
    assert pypi.returncode == 1, pypi.stdout
    assert "1 failed, 3 passed" in pypi.stdout, pypi.stdout
    assert "macos-arm64: torch 2.9.1 comes from https://pypi.org/simple, not from pytorch-cpu" in pypi.stdout

    # The CUDA runtime packages dropped from torch's dependencies (astral-sh/uv#14237).
    (project / "uv.lock").write_text(original)
    tamper(project, '    { name = "nvidia-cuda-runtime-cu12", marker = "sys_platform != \'win32\'" },\n', "")
    dropped = run_guard(project, uv_env)
    assert dropped.returncode == 1, dropped.stdout
    assert "linux-x86_64: no CUDA runtime (nvidia-*) in the lock for torch+cu128" in dropped.stdout, (
        dropped.stdout
    )


def test_guard_in_extra_mode(copie, catalogue_index, uv_env):
    # one guard test per extra and platform, and one for no extra
    project = locked_and_guarded(
        copie,
        catalogue_index,
        uv_env,
        3 * len(ALL) + 1,
        torch_version="2.9",
        backend_selection="extra",
        backends=["cpu", "cu128", "rocm6.4"],
        platforms=ALL,
        torch_libraries=["torchvision"],
    )

    # The ROCm build on Linux x86_64 swapped for the CUDA one, under the rocm extra only.
    text = (project / "uv.lock").read_text()
    rocm = re.search(
        r'\{ name = "torch", version = "2\.9\.1\+rocm6\.4", source = \{ registry = "[^"]+" \}', text
    )
    assert rocm, text
    cuda = rocm.group(0).replace("+rocm6.4", "+cu128").replace("/rocm6.4", "/cu128")
    tamper(project, rocm.group(0), cuda)
    routed = run_guard(project, uv_env)
    assert routed.returncode == 1, routed.stdout
    assert "1 failed" in routed.stdout, routed.stdout
    assert "linux-x86_64, extra rocm6-4: torch 2.9.1+cu128 comes from" in routed.stdout, routed.stdout


def test_guard_follows_each_library_to_its_index(copie, catalogue_index, uv_env):
    """torchao has Linux x86_64 builds only, torchcodec CUDA builds for Linux x86_64 and CPU
    builds for aarch64 too: elsewhere they come from PyPI, and the guard expects just that; one
    routed to another PyTorch index is caught."""
    project = locked_and_guarded(
        copie,
        catalogue_index,
        uv_env,
        len(ALL),
        torch_version="2.12",
        backends=["cu130"],
        platforms=ALL,
        torch_libraries=["torchaudio", "torchao", "torchcodec"],
    )
    original = (project / "uv.lock").read_text()

    for separator in (", ", "\n"):  # its entry, and where the project requires it
        old = f'version = "0.18.0+cu130"{separator}source = {{ registry = "{catalogue_index}/cu130" }}'
        tamper(project, old, old.replace("/cu130", "/cpu"))
    routed = run_guard(project, uv_env)
    assert routed.returncode == 1, routed.stdout
    assert f"linux-x86_64: torchao 0.18.0+cu130 comes from {catalogue_index}/cpu" in routed.stdout, (
        routed.stdout
    )

    # From torch 2.11 the CUDA runtime comes through cuda-toolkit: dropped, the guard says so.
    (project / "uv.lock").write_text(original)
    text = original
    required = re.findall(r'^    \{ name = "cuda-toolkit".*\n', text, re.MULTILINE)
    assert required, "torch+cu130 requires cuda-toolkit in the stand-in index"
    for line in required:
        text = text.replace(line, "")
    (project / "uv.lock").write_text(text)
    dropped = run_guard(project, uv_env)
    assert dropped.returncode == 1, dropped.stdout
    assert "linux-x86_64: no CUDA runtime (nvidia-*) in the lock for torch+cu130" in dropped.stdout
