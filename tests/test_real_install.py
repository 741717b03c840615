"""Install a rendered CPU project for real and run its own tests and smoke check.

The torch wheel is the real CPU build that pip's configured find-links directory holds on
machines of this kind; it is served from a local index like the PyTorch one. Where no such
wheel exists the tests skip, saying so.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from helpers import FAILING_SMI, real_cpu_answers, real_torch_or_skip, render, tool, torch_plan
from pytorch_index import IndexServer, LocalIndex
from uv_helpers import UV, lock, uv, uv_environment

pytestmark = pytest.mark.network


@pytest.fixture(scope="module")
def real_torch():
    return real_torch_or_skip()


def _pypi_torchvision_for(torch_minor: str, directory: Path) -> Path | None:
    """PyPI's torchvision for this torch: a CUDA-linked build, the wrong one beside a CPU torch."""
    vision = f"0.{int(torch_minor.split('.')[1]) + 15}.*"
    return _pypi_wheel(f"torchvision=={vision}", directory)


@pytest.fixture(scope="module")
def cpu_index(real_torch, tmp_path_factory):
    wheel, minor = real_torch
    downloads = tmp_path_factory.mktemp("downloads")
    files = [wheel]
    vision = _pypi_torchvision_for(minor, downloads)
    if vision:
        files.append(vision)
    index = LocalIndex(tmp_path_factory.mktemp("real-index"), files={"cpu": files})
    index.write()
    with IndexServer(index.root) as server:
        yield server.base_url, minor, vision is not None


@pytest.fixture(scope="module")
def uv_env(tmp_path_factory):
    return uv_environment(tmp_path_factory.mktemp("uv-cache-real"))


def _installed_project(copie, cpu_index, uv_env, libraries):
    base_url, minor, _ = cpu_index
    answers = real_cpu_answers(minor, base_url, torch_libraries=libraries)
    result, _ = render(copie, **answers)
    project = result.project_dir
    lock(project, uv_env)
    uv(["sync", "--locked", "--python", sys.executable], project, uv_env)
    return project, answers


def _smoke(project, uv_env, **env):
    return uv(["run", "--no-sync", "tools/torch_smoke.py"], project, {**uv_env, **env}, check=False)


def test_rendered_cpu_project_installs_and_passes_its_own_checks(copie, cpu_index, uv_env, tmp_path):
    project, _ = _installed_project(copie, cpu_index, uv_env, libraries=[])
    tests = uv(["run", "--no-sync", "pytest", "-ra"], project, uv_env, check=False)
    assert tests.returncode == 0, tests.stdout + tests.stderr
    assert "no accelerator" in tests.stdout  # GPU-only tests skip, with their reason

    smoke = _smoke(project, uv_env)
    assert smoke.returncode == 0, smoke.stdout + smoke.stderr
    assert "+cpu (build cpu)" in smoke.stdout
    assert "VERDICT: OK" in smoke.stdout

    # A GPU-less VM with a driver package: nvidia-smi fails, and that is no GPU.
    tool(tmp_path / "bin", "nvidia-smi", FAILING_SMI, status=9)
    failing = _smoke(project, uv_env, PATH=f"{tmp_path / 'bin'}{os.pathsep}{uv_env['PATH']}")
    assert "VERDICT: OK" in failing.stdout and "this machine has a GPU" not in failing.stdout

    wrong = _smoke(project, uv_env, EXPECTED_TORCH_BACKEND="cu130")
    assert wrong.returncode == 1
    assert "expected a cu130 build" in wrong.stdout and "VERDICT: FAILED" in wrong.stdout
    assert "Traceback" not in wrong.stdout + wrong.stderr

    distributed = uv(
        ["run", "--no-sync", "tools/torch_smoke.py", "--distributed"],
        project,
        uv_env,
        check=False,
    )
    assert distributed.returncode == 0, distributed.stdout + distributed.stderr
    assert "gloo, 2 processes: sum over ranks = 3 on every rank" in distributed.stdout
    _distributed_never_hangs(project, uv_env)


def _descendants(pid: int) -> list[tuple[int, str]]:
    """(pid, command line) of every process below pid, from /proc."""
    parents: dict[int, list[tuple[int, str]]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except (OSError, ValueError):
            continue
        parents.setdefault(int(stat.rsplit(")", 1)[1].split()[1]), []).append((int(entry.name), command))
    found, queue = [], [pid]
    while queue:
        for child in parents.get(queue.pop(), []):
            found.append(child)
            queue.append(child[0])
    return found


NOISE = ("Traceback", "Warning", "RendezvousConnectionError", "NumPy", "[W", "[E")
# What torchrun's own process says before it starts the check (whose processes filter the first):
# torch's warning on import without NumPy, with the source line it quotes, and the note that it
# set OMP_NUM_THREADS for its several processes. The README names both.
LAUNCHER_NOTICES = re.compile(
    r"^\S+/functional_tensor\.py:\d+: UserWarning: Failed to initialize NumPy.*\n.*\n"
    r"|^W\d{4} [\d:.]+ \d+ torch/distributed/run\.py:\d+\] .*\n",
    re.MULTILINE,
)


def _report_alone(output: str) -> str:
    """The output less torchrun's own notices: the report and nothing else, or what is left."""
    return LAUNCHER_NOTICES.sub("", output)


def _readme_torchrun_commands(project: Path) -> tuple[list[str], list[str]]:
    """The README's two torchrun commands (one machine; the first of two machines), as words,
    with what is particular to a GPU cluster made local: the first machine is 127.0.0.1, the port
    a free one, one process per node (`gpu` needs CUDA)."""
    readme = (project / "README.md").read_text()
    commands = [
        " ".join(block.replace("\\\n", " ").split())
        for block in re.findall(r"^(uv run torchrun .*?)(?<!\\)$", readme, re.MULTILINE | re.DOTALL)
    ]
    standalone, first = commands
    with socket.socket() as free:
        free.bind(("127.0.0.1", 0))
        port = free.getsockname()[1]
    first = first.replace("gpu-node-1", "127.0.0.1").replace("29500", str(port))
    local = [c.replace("--nproc-per-node=gpu", "--nproc-per-node={n}") for c in (standalone, first)]
    return shlex.split(local[0].format(n=2)), shlex.split(local[1].format(n=1))


def _distributed_never_hangs(project, uv_env):
    """The README's torchrun commands: ranks join one all-reduce, rank 0 reports once, and the
    output holds nothing else; across two "machines" (two torchruns with a static rendezvous)
    three times. A dead worker or a peer that never comes ends the check with a FAIL row within
    60 s, not a hang."""
    standalone, first = _readme_torchrun_commands(project)
    assert standalone[:2] == ["uv", "run"] and "--standalone" in standalone
    torchrun = uv(["run", "--no-sync", *standalone[2:]], project, uv_env, check=False)
    assert torchrun.returncode == 0, torchrun.stdout + torchrun.stderr
    assert "gloo, 2 processes: sum over ranks = 3 on every rank (torchrun)" in torchrun.stdout
    assert torchrun.stdout.count("VERDICT: OK") == 1  # rank 0 alone prints the report
    for noise in NOISE:
        assert noise not in _report_alone(torchrun.stdout + torchrun.stderr), (
            torchrun.stdout + torchrun.stderr
        )

    assert "--rdzv-backend=static" in first and "--node-rank=0" in first
    second = [w.replace("--node-rank=0", "--node-rank=1") for w in first]
    for _ in range(3):
        nodes = [
            subprocess.Popen(
                [UV, "run", "--no-sync", *words[2:]],
                cwd=project,
                env=uv_env,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
            )
            for words in (first, second)
        ]
        outputs = [node.communicate(timeout=120)[0] for node in nodes]
        assert [node.returncode for node in nodes] == [0, 0], outputs
        assert "gloo, 2 processes: sum over ranks = 3 on every rank (torchrun)" in outputs[0]
        report, other = (_report_alone(output) for output in outputs)
        assert report.startswith("Python ") and report.count("VERDICT: OK") == 1, outputs
        assert other == "", outputs  # the second machine's rank says nothing when all is well
        for noise in NOISE:
            assert noise not in report, outputs

    python = str(project / ".venv" / "bin" / "python")
    start = time.monotonic()
    smoke = subprocess.Popen(
        [python, "tools/torch_smoke.py", "--distributed"],
        cwd=project,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        killed = None
        while killed is None and time.monotonic() - start < 60 and smoke.poll() is None:
            workers = [pid for pid, command in _descendants(smoke.pid) if "spawn_main" in command]
            if workers:
                killed = workers[0]
                os.kill(killed, signal.SIGKILL)
            time.sleep(0.05)
        output, _ = smoke.communicate(timeout=max(1.0, 60 - (time.monotonic() - start)))
    finally:
        if smoke.poll() is None:
            smoke.kill()
            smoke.wait()
    assert killed is not None, output
    assert smoke.returncode == 1, output
    assert "[FAIL] all-reduce gloo" in output and "ended (signal 9)" in output
    assert "Traceback" not in output

    with socket.socket() as free:
        free.bind(("127.0.0.1", 0))
        port = free.getsockname()[1]
    alone = {
        **uv_env,
        "RANK": "0",
        "WORLD_SIZE": "2",
        "LOCAL_RANK": "0",
        "MASTER_ADDR": "127.0.0.1",
        "MASTER_PORT": str(port),
    }
    start = time.monotonic()
    lonely = subprocess.run(
        [python, "tools/torch_smoke.py", "--distributed", "--timeout", "5"],
        cwd=project,
        env=alone,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert time.monotonic() - start < 60
    assert lonely.returncode == 1, lonely.stdout + lonely.stderr
    assert "timed out" in lonely.stdout and "VERDICT: FAILED" in lonely.stdout
    assert "Traceback" not in lonely.stdout + lonely.stderr


def test_a_torchvision_built_for_another_torch_is_explained(copie, cpu_index, uv_env):
    if not cpu_index[2]:
        pytest.skip("PyPI's torchvision for this torch could not be downloaded")
    project, _ = _installed_project(copie, cpu_index, uv_env, libraries=["torchvision"])
    smoke = _smoke(project, uv_env)
    assert smoke.returncode == 1, smoke.stdout + smoke.stderr
    assert "torchvision" in smoke.stdout.split("VERDICT")[1]
    assert "another index" in smoke.stdout or "built for another torch" in smoke.stdout
    assert "Traceback" not in smoke.stdout + smoke.stderr
    # The project's own test of it fails on the check's row, not on how it calls the check.
    tests = uv(["run", "--no-sync", "pytest", "-q", "tests/test_gpu_smoke.py"], project, uv_env, check=False)
    assert "FAILED tests/test_gpu_smoke.py::test_library_matches_torch_and_runs[torchvision]" in tests.stdout
    assert "assert ['torchvision" in tests.stdout and "TypeError" not in tests.stdout, tests.stdout


def _pypi_wheel(requirement: str, directory: Path) -> Path | None:
    """A Linux x86_64 wheel of `requirement` from PyPI, or None where it cannot be had."""
    pip = [sys.executable, "-m", "pip"] if shutil.which("pip") is None else ["pip"]
    subprocess.run(
        [
            *pip,
            "download",
            "--quiet",
            "--no-deps",
            "--only-binary=:all:",
            "--python-version",
            "3.11",
            "--platform",
            "manylinux_2_28_x86_64",
            "-d",
            str(directory),
            requirement,
        ],
        env={**os.environ, "PIP_CONSTRAINT": ""},
        capture_output=True,
        timeout=600,
    )
    name, _, version = requirement.partition("==")
    found = sorted(directory.glob(f"{name}-{version}-*manylinux*x86_64.whl"))
    return found[0] if found else None


def test_a_torchao_built_for_another_torch_is_named_by_its_probe(real_torch, uv_env, copie, tmp_path):
    """torchao's C++ ops load only with the torch it was built for (before 0.17): with a real
    wheel of the right pairing the probe passes; with one built for another torch it fails."""
    wheel, minor = real_torch
    if "torchao" not in torch_plan.library_choices(minor):
        pytest.skip(f"no torchao is paired with torch {minor}")
    right = torch_plan.pairing(minor, "torchao").version
    wrong = "0.15.0" if minor == "2.10" else "0.16.0"  # built for torch 2.9.1 / 2.10.0
    right_wheel = _pypi_wheel(f"torchao=={right}", tmp_path / "downloads")
    wrong_wheel = _pypi_wheel(f"torchao=={wrong}", tmp_path / "downloads")
    if not (right_wheel and wrong_wheel):
        pytest.skip("PyPI's torchao wheels could not be downloaded")
    index = LocalIndex(tmp_path / "index", files={"cpu": [wheel, right_wheel]})
    index.write()
    with IndexServer(index.root) as server:
        project, _ = _installed_project(copie, (server.base_url, minor, False), uv_env, libraries=["torchao"])
    smoke = _smoke(project, uv_env)
    assert smoke.returncode == 0, smoke.stdout + smoke.stderr
    assert f"torchao {right}" in smoke.stdout

    uv(["pip", "install", "--no-deps", "--python", str(project / ".venv"), str(wrong_wheel)], project, uv_env)
    smoke = _smoke(project, uv_env)
    assert smoke.returncode == 1, smoke.stdout + smoke.stderr
    verdict = smoke.stdout.split("VERDICT")[1]
    assert "torchao cpu" in verdict and "pytorch/ao#2919" in verdict
    assert "fix: uv sync --reinstall-package torchao" in smoke.stdout
    assert "Traceback" not in smoke.stdout + smoke.stderr
