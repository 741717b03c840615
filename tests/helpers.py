"""Helpers the tests import: the repository root, the planning module and rendering shortcuts.

Kept out of conftest.py, which pytest loads by itself and advises against importing.
"""

from __future__ import annotations

import functools
import inspect
import json
import os
import platform
import re
import shutil
import stat
import subprocess
import sys
import tomllib
from pathlib import Path
from types import SimpleNamespace

import pytest
from packaging.markers import Marker

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from extensions import torch_plan  # noqa: E402

matrix = torch_plan.matrix

# The template's tools, the same files in every project, imported as they are.
TOOLS = ROOT / "template" / "tools"
if str(TOOLS) not in sys.path:
    sys.path.insert(0, str(TOOLS))

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


def plan_for(**overrides) -> torch_plan.Plan:
    """The plan of answers_for(**overrides): the answers make_plan takes, passed by name."""
    answers = answers_for(**overrides)
    parameters = inspect.signature(torch_plan.make_plan).parameters
    return torch_plan.make_plan(**{name: value for name, value in answers.items() if name in parameters})


@functools.cache
def _project_json(answers: str) -> str:
    return json.dumps(torch_plan.project_data(plan_for(**json.loads(answers))))


def project_json(**overrides) -> str:
    """tools/torch_project.json of a project with these answers (made once per answers in a
    test run: the tools' tests read it; the plan's own tests check how it is made)."""
    return _project_json(json.dumps(overrides, sort_keys=True))


def project_for(**overrides):
    """tools/torch_project.json of a project with these answers, as the tools load it."""
    import torch_hardware

    return torch_hardware.Project(json.loads(project_json(**overrides)))


def run_rendered_tests(project: Path, test_file: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    """A rendered project's test file, run by pytest in the project as a user would."""
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", test_file],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def real_cpu_answers(torch_version: str, index_url: str, **overrides) -> dict:
    """Answers for a CPU project this machine can install from the real CPU torch wheel
    (CPython 3.11, Linux x86_64) served at `index_url`."""
    answers = {
        "torch_version": torch_version,
        "python_version": "3.11",
        "backends": ["cpu"],
        "platforms": ["linux-x86_64"],
        "torch_libraries": [],
        "pytorch_index_url": index_url,
    }
    return answers_for(**{**answers, **overrides})


def render(copie, **overrides):
    """Render the template with pytest-copie; returns (result, parsed pyproject)."""
    answers = answers_for(**overrides)
    result = copie.copy(extra_answers=answers)
    assert result.exception is None, result.exception
    assert result.exit_code == 0
    pyproject = tomllib.loads((result.project_dir / "pyproject.toml").read_text(encoding="utf-8"))
    return result, pyproject


FAILING_SMI = (
    "NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver. Make sure that "
    "the latest NVIDIA driver is installed and running.\n"
)


def _sh_quoted(text: str) -> str:
    return "'" + text.replace("'", "'\\''") + "'"


def tool(
    bin_dir: Path,
    name: str,
    output: str,
    status: int = 0,
    reject: str = "",
    expect: list | None = None,
    stderr: bool = False,
) -> None:
    """An executable printing `output` (on stderr with `stderr`) with exit `status`; with `reject`, arguments containing
    it get nvidia-smi's answer for an unknown field (exit 2); with `expect`, other arguments than
    these get an error (exit 2), as the real tool's would. A shell script: it starts in a
    millisecond, and hardware tests run many."""
    bin_dir.mkdir(parents=True, exist_ok=True)
    lines = ["#!/bin/sh"]
    if expect is not None:
        wanted = _sh_quoted(" ".join(expect))
        lines.append(f'[ "$*" = {wanted} ] || {{ echo "$0: unexpected arguments $*"; exit 2; }}')
    if reject:
        answer = _sh_quoted(f'Field "{reject}" is not a valid field to query.')
        lines.append(f'case "$*" in *{_sh_quoted(reject)}*) echo {answer}; exit 2;; esac')
    lines += [f"printf '%s' {_sh_quoted(output)}{' >&2' if stderr else ''}", f"exit {status}"]
    script = bin_dir / name
    script.write_text("\n".join(lines) + "\n")
    script.chmod(script.stat().st_mode | stat.S_IXUSR)


def nvidia_smi(
    bin_dir: Path, *gpus: dict, known: tuple = (), status: int = 0, message: str = "", warning: str = ""
) -> None:
    """A fake `nvidia-smi` that answers `--query-gpu=<fields> --format=csv,noheader` as the real
    one does, for GPUs given as {name, compute_cap, device_id, driver_version, ...}. `known`:
    the fields this driver knows, where it is older than the query (others: exit 2, as nvidia-smi
    answers an unknown field). `status`, `message`: a failing nvidia-smi's exit and output.
    `warning`: a line it prints before the rows (`WARNING: infoROM is corrupted at gpu ...`).
    A shell script, like `tool`: each row's fields in a `case`, printed in the order asked."""
    unknown = 'printf \'Field "%s" is not a valid field to query.\\n\' "$f"; exit 2'
    lines = ["#!/bin/sh"]
    if warning:
        lines.append(f"printf '%s\\n' {_sh_quoted(warning)}")
    if status:
        lines += [f"printf '%s\\n' {_sh_quoted(message)}", f"exit {status}"]
    lines += [
        'case "$#:$1:$2" in 2:--query-gpu=*:--format=csv,noheader) ;;',
        "*) printf 'Invalid combination of input arguments: %s\\n' \"$*\"; exit 2;; esac",
        "fields=${1#--query-gpu=}; IFS=,",  # PATH holds the fake tools only: no tr, no sed
    ]
    if known:
        names = _sh_quoted(f" {' '.join(known)} ")
        lines.append(f'for f in $fields; do case {names} in *" $f "*) ;; *) {unknown};; esac; done')
    if not gpus:
        lines += ["echo 'No devices were found'", "exit 6"]
    for index, gpu in enumerate(gpus):
        row = {
            "index": gpu.get("index", str(index)),
            "uuid": gpu.get("uuid", f"GPU-{index:08x}-0000-0000-0000-000000000000"),
            "name": gpu["name"],
            "pci.bus_id": gpu.get("pci.bus_id", f"00000000:{index + 1:02X}:00.0"),
            "pci.device_id": gpu.get("pci.device_id", f"0x{gpu.get('device_id', '0000').upper()}10DE"),
            "compute_cap": gpu.get("compute_cap", "[N/A]"),
            "driver_version": gpu.get("driver_version", "580.65.06"),
        }
        cases = " ".join(f"{field}) v={_sh_quoted(value)};;" for field, value in row.items())
        lines.append(
            f"line=; for f in $fields; do case $f in {cases} *) {unknown};; esac; "
            'line="${line:+$line, }$v"; done; printf \'%s\\n\' "$line"'
        )
    script = bin_dir / "nvidia-smi"
    bin_dir.mkdir(parents=True, exist_ok=True)
    script.write_text("\n".join(lines) + "\n")
    script.chmod(script.stat().st_mode | stat.S_IXUSR)


# torch.backends.mps of a torch built without MPS (every build but macOS arm64's).
NO_MPS = SimpleNamespace(is_built=lambda: False, is_available=lambda: False)


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


GOLDEN = Path(__file__).parent / "data" / "golden"


def assert_golden(name: str, text: str) -> None:
    """`text` must be tests/data/golden/<name> as committed; `UPDATE_GOLDEN=1` rewrites the
    file instead (review the diff before committing it)."""
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    assert path.exists(), f"no {path}: run with UPDATE_GOLDEN=1 once"
    assert text == path.read_text(), f"differs from {path.relative_to(ROOT)}:\n{text}"
