"""The README says what the data says, and its two set-up commands are the real ones: the render
command is run as written and what it makes is checked."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml

from helpers import ROOT, torch_plan
from pytorch_index import CATALOGUE, IndexServer, LocalIndex, Wheel, catalogue_wheels
from uv_helpers import UV, export, resolved_for, uv, uv_environment

COPIER = Path(sys.executable).with_name("copier")


def setup_commands() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    setup = readme.split("## Set up", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sh\n(.*?)\n```", setup, re.DOTALL)


def test_compatibility_table_matches_the_data():
    result = subprocess.run(
        [sys.executable, "scripts/compat_table.py", "--check"], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_compatibility_table_names_windows_arm64_only_where_torch_has_it():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    rows = {
        line.split(" | ")[0].removeprefix("| "): line
        for line in readme.splitlines()
        if line.startswith("| 2.")
    }
    assert "Windows ARM64 (Python 3.11–3.13)" in rows["2.13.0"] and "Windows ARM64" in rows["2.7.1"]
    assert "Windows ARM64" not in rows["2.14.1"] and "Windows ARM64" not in rows["2.6.0"]
    assert "(all)" not in readme  # "all" read as every platform the template offers


def test_question_table_names_every_offered_python():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    row = next(line for line in readme.splitlines() if line.startswith("| `python_version` |"))
    offered = {p for minor in torch_plan.torch_versions() for p in torch_plan.python_choices(minor)}
    free = sorted(p for p in offered if p.endswith("t"))
    assert all(f"`{p}`" in row for p in free), (free, row)


def test_readme_has_two_setup_commands_and_ci_runs_the_test_command():
    render, test = setup_commands()
    assert test == "uv run --group test pytest"
    assert test in (ROOT / ".ci" / "run").read_text()


def test_the_set_up_says_how_to_get_uv_and_what_replaces_the_placeholder():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    before_render = " ".join(readme.split("## Set up", 1)[1].split("```sh", 1)[0].split())
    assert "curl -LsSf https://astral.sh/uv/install.sh | sh" in before_render
    assert "`gh:org/uv-torch-template` stands for where you got this template" in before_render
    assert "git URL" in before_render and "absolute path of a clone" in before_render


def readme_copier_arguments(template: Path) -> list[str]:
    """The README's render command as the copier command line it runs, with the template's
    source replaced by `template`. uvx would fetch Copier from PyPI: the test environment's
    copier and copier-template-extensions (the `--with`) run the same command line instead."""
    render = setup_commands()[0]
    words = shlex.split(render)
    assert words[:4] == ["uvx", "--with", "copier-template-extensions", "copier"], render
    arguments = words[4:]
    assert arguments[0] == "copy" and arguments[-2] == "gh:org/uv-torch-template", render
    arguments[-2] = str(template)
    return arguments


def run_copier(arguments: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    result = subprocess.run([str(COPIER), *arguments], cwd=cwd, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return result


def next_steps(message: str) -> list[str]:
    """The commands of the post-copy message's "Next:" block."""
    block = message.split("Next:\n\n", 1)[1].split("\n\n", 1)[0]
    return [line.strip() for line in block.splitlines()]


def test_the_readme_render_command_as_written_renders_the_defaults(template_copy, tmp_path):
    # With uv on PATH and offline (conftest.py): the lock task runs, reports that it could not
    # lock, and the copy goes on.
    env = {**os.environ, "PATH": f"{Path(UV).parent}{os.pathsep}{os.environ['PATH']}"}
    result = run_copier(readme_copier_arguments(template_copy), tmp_path, env)
    project = tmp_path / "my-project"
    answers = yaml.safe_load((project / ".copier-answers.yml").read_text())
    torch_version = torch_plan.default_torch_version()
    defaults = {
        "torch_version": torch_version,
        "backends": torch_plan.default_backends(torch_version),
        "platforms": torch_plan.default_platforms(),
        "torch_libraries": torch_plan.default_libraries(torch_version),
    }
    assert {name: answers[name] for name in defaults} == defaults
    assert answers["_src_path"] == str(template_copy)
    assert next_steps(result.stderr)[0] == "cd my-project"
    assert "uv lock did not succeed" in result.stderr


# What the rendered project needs from PyPI (its dev group, the CUDA builds' runtime), served
# on 127.0.0.1 too, so that the lock reaches nothing else.
PYPI_STAND_IN = [
    Wheel("pytest", "8.4.2", "py3", "none", "any"),
    Wheel("nvidia-cuda-runtime-cu12", "12.8.90", "py3", "none", "any"),
    Wheel(
        "cuda-toolkit",
        "13.0.2",
        "py2.py3",
        "none",
        "any",
        (
            "nvidia-cuda-runtime==13.0.96.*; (sys_platform == 'linux' or sys_platform == 'win32') and extra == 'cudart'",
        ),
        extras=("cudart",),
    ),
    Wheel("nvidia-cuda-runtime", "13.0.96", "py3", "none", "any"),
]


@pytest.fixture(scope="module")
def stand_in_index(tmp_path_factory):
    wheels = {**catalogue_wheels(), "pypi": PYPI_STAND_IN}
    index = LocalIndex(tmp_path_factory.mktemp("readme-index"), wheels)
    index.write()
    with IndexServer(index.root) as server:
        yield server.base_url


@pytest.mark.network
def test_the_readme_render_command_locks_and_its_next_steps_exist(template_copy, tmp_path, stand_in_index):
    """The same command with the stand-in index as the mirror and this interpreter's Python (the
    newest torch's default Python may not be installed here): the copy's own lock task locks."""
    python = f"{sys.version_info.major}.{sys.version_info.minor}"
    torch_version = torch_plan.default_torch_version()
    if python not in torch_plan.python_choices(torch_version):
        pytest.skip(f"torch {torch_version} has no wheels for this interpreter's Python {python}")
    env = uv_environment(tmp_path / "uv-cache")
    for name in ("VIRTUAL_ENV", "http_proxy", "https_proxy", "all_proxy", "no_proxy"):
        env.pop(name, None)
    env.update(
        PATH=f"{Path(UV).parent}{os.pathsep}{env['PATH']}",
        UV_PYTHON=sys.executable,
        UV_DEFAULT_INDEX=f"{stand_in_index}/pypi",
        # Anything but 127.0.0.1 goes to a closed port: a request that leaves would fail.
        HTTP_PROXY="http://127.0.0.1:9",
        HTTPS_PROXY="http://127.0.0.1:9",
        ALL_PROXY="http://127.0.0.1:9",
        NO_PROXY="127.0.0.1",
    )
    arguments = readme_copier_arguments(template_copy)
    arguments[-2:-2] = ["--data", f"pytorch_index_url={stand_in_index}", "--data", f"python_version={python}"]
    result = run_copier(arguments, tmp_path, env)
    project = tmp_path / "my-project"

    # It locked, on the stand-in index: each platform gets the build the index has for it.
    assert (project / "uv.lock").exists(), result.stderr
    answers = yaml.safe_load((project / ".copier-answers.yml").read_text())
    [backend] = answers["backends"]
    release = torch_plan.release(torch_version).latest
    assert release in CATALOGUE, f"the stand-in index (tests/pytorch_index.py) lacks torch {release}"
    packages = export(project, env)
    for platform in answers["platforms"]:
        want = backend if platform in CATALOGUE[release][backend] else "cpu"
        got = resolved_for(packages, platform)
        for name in ["torch", *answers["torch_libraries"]]:
            assert got[name]["index"] == f"{stand_in_index}/{want}", (platform, name, got[name])

    # Its next steps name commands that exist, run here as far as they can be without PyPI.
    pyproject = tomllib.loads((project / "pyproject.toml").read_text())
    steps = next_steps(result.stderr)
    assert steps[0] == "cd my-project", steps
    for step in steps[1:]:
        words = shlex.split(step)
        if words[0] == "git":
            subprocess.run(["bash", "-c", step], cwd=project, env=env, check=True, capture_output=True)
        elif words[:2] == ["uv", "sync"]:  # planned only: the project's own build needs hatchling
            uv([*words[1:], "--dry-run", "--locked"], project, env)
        elif words[:2] == ["uv", "run"] and words[-1].startswith("tools/"):
            extras = words[words.index("--extra") + 1 :][:1] if "--extra" in words else []
            assert set(extras) <= set(pyproject["project"].get("optional-dependencies", {})), step
            # The tool, run by this interpreter from the project's files, answers --help.
            help_ = subprocess.run(
                [sys.executable, words[-1], "--help"], cwd=project, env=env, capture_output=True, text=True
            )
            assert help_.returncode == 0 and "usage:" in help_.stdout, (step, help_.stderr)
        else:
            pytest.fail(f"the post-copy message names a command this test does not know: {step}")
