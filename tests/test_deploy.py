"""The `deploy` answers: a Dockerfile on uv's recipe, a dev container and a SLURM job.

No container engine runs here, so the Dockerfile is read, not built: its stages, Python and
`uv sync` steps must agree with the answers, and the same `uv sync` steps, in the same order,
must install the project from a PyTorch-like index. The SLURM job runs for real, on a one-node
cluster of the test's own, for a project installed from the real CPU torch wheel.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import copier
import pytest

from helpers import answers_for, plan_for, real_cpu_answers, real_torch_or_skip, render, torch_plan
from pytorch_index import CATALOGUE, IndexServer, LocalIndex, catalogue_wheels
from slurm_cluster import LocalSlurm, missing_programs
from uv_helpers import UV, lock, uv_environment

ALL = ["linux-x86_64", "linux-aarch64", "macos-arm64", "windows-x86_64"]
DEPLOY_FILES = {
    "docker": ["Dockerfile", ".dockerignore"],
    "devcontainer": [".devcontainer/devcontainer.json", "Dockerfile", ".dockerignore"],
    "slurm": ["slurm/smoke.sbatch"],
}


# --- the answer ---------------------------------------------------------------------------


def test_deploy_check_names_the_valid_targets():
    assert torch_plan.check_deploy([]) == ""
    assert torch_plan.check_deploy(["docker", "devcontainer", "slurm"], ALL) == ""
    message = torch_plan.check_deploy(["docker", "kubernetes"], ALL)
    assert "kubernetes" in message and "docker, devcontainer, slurm" in message
    message = torch_plan.check_deploy(["slurm"], ["macos-arm64", "windows-x86_64"])
    assert "linux-x86_64 or linux-aarch64" in message
    assert torch_plan.check_deploy([], ["macos-arm64"]) == ""  # nothing to deploy, nothing to check


@pytest.mark.parametrize(
    "data,words",
    [
        ({"deploy": ["kubernetes"]}, ["kubernetes", "docker", "devcontainer", "slurm"]),
        (
            {"deploy": ["docker"], "platforms": ["macos-arm64"], "backends": ["cpu"]},
            ["linux-x86_64", "platforms"],
        ),
    ],
)
def test_a_bad_deploy_answer_is_refused_before_anything_is_written(template_copy, tmp_path, data, words):
    destination = tmp_path / "project"
    with pytest.raises(ValueError) as error:
        copier.run_copy(
            str(template_copy), str(destination), data=data, defaults=True, unsafe=True, quiet=True
        )
    assert not destination.exists() or not any(destination.iterdir())
    for word in words:
        assert word in str(error.value), (word, str(error.value))


# --- what the image and the job install ---------------------------------------------------

TARGETS = [
    # (answers, platform, backend, extra, GPU arguments of the dev container)
    ({"torch_version": "2.9", "backends": ["cu128"]}, "linux-x86_64", "cu128", None, ["--gpus=all"]),
    # no aarch64 build of cu126 for 2.8: the image for that platform gets the CPU build
    (
        {"torch_version": "2.8", "backends": ["cu126"], "platforms": ["linux-aarch64", "windows-x86_64"]},
        "linux-aarch64",
        "cpu",
        None,
        [],
    ),
    (
        {"torch_version": "2.9", "backends": ["rocm6.4"]},
        "linux-x86_64",
        "rocm6.4",
        None,
        ["--device=/dev/kfd", "--device=/dev/dri", "--group-add=video", "--group-add=render"],
    ),
    ({"torch_version": "2.9", "backends": ["xpu"]}, "linux-x86_64", "xpu", None, ["--device=/dev/dri"]),
    # extra mode: the first GPU extra, not the cpu one the README suggests for laptops
    (
        {"torch_version": "2.9", "backend_selection": "extra", "backends": ["cpu", "cu128", "rocm6.4"]},
        "linux-x86_64",
        "cu128",
        "cu128",
        ["--gpus=all"],
    ),
    (
        {"torch_version": "2.9", "backend_selection": "extra", "backends": ["cpu", "rocm6.4"]},
        "linux-x86_64",
        "rocm6.4",
        "rocm6-4",
        ["--device=/dev/kfd", "--device=/dev/dri", "--group-add=video", "--group-add=render"],
    ),
    # extra mode where no extra has a GPU build for the Linux platform: the cpu extra
    (
        {
            "torch_version": "2.9",
            "backend_selection": "extra",
            "backends": ["xpu", "cpu"],
            "platforms": ["linux-aarch64", "windows-x86_64"],
        },
        "linux-aarch64",
        "cpu",
        "cpu",
        [],
    ),
    # ... and without a cpu extra: the first extra, which installs the CPU build there
    (
        {
            "torch_version": "2.9",
            "backend_selection": "extra",
            "backends": ["xpu"],
            "platforms": ["linux-aarch64", "windows-x86_64"],
        },
        "linux-aarch64",
        "cpu",
        "xpu",
        [],
    ),
]


@pytest.mark.parametrize("answers,platform,backend,extra,gpu_args", TARGETS)
def test_deploy_target_is_the_linux_gpu_build(answers, platform, backend, extra, gpu_args):
    target = torch_plan.deploy_target(plan_for(**answers))
    assert (target.platform, target.backend, target.extra, target.container_gpu_args) == (
        platform,
        backend,
        extra,
        gpu_args,
    )
    assert target.python == answers_for(**answers)["python_version"]
    if target.kind in ("rocm", "xpu"):  # the image's non-root user needs the host's render group
        assert any("getent group render" in arg for arg in target.docker_run_args)


@pytest.mark.parametrize(
    "answers,container_args,host_gpu",
    [
        # every Linux platform gets CUDA: the dev container needs the GPU
        ({"torch_version": "2.9", "backends": ["cu128"]}, ["--gpus=all"], True),
        # CUDA on x86_64, the CPU build on aarch64 (cu118 has no aarch64 wheels): an aarch64
        # host builds a CPU image, so the GPU is optional and no `--gpus` is forced on it
        (
            {"torch_version": "2.7", "backends": ["cu118"], "platforms": ["linux-x86_64", "linux-aarch64"]},
            [],
            "optional",
        ),
        # the only Linux build is the CPU one: no GPU at all
        (
            {"torch_version": "2.7", "backends": ["cu118"], "platforms": ["linux-aarch64", "windows-x86_64"]},
            [],
            None,
        ),
    ],
)
def test_the_dev_container_asks_for_a_gpu_only_where_the_linux_build_has_one(
    answers, container_args, host_gpu
):
    target = torch_plan.deploy_target(plan_for(**answers))
    assert (target.container_gpu_args, target.host_gpu) == (container_args, host_gpu)


def test_every_backend_kind_of_every_release_has_a_deploy_target():
    for release in torch_plan.matrix.RELEASES:
        for backend, build in release.backends.items():
            linux = [p for p in ("linux-x86_64", "linux-aarch64") if p in build.platforms]
            if not linux:
                continue
            for mode, backends in (("platform", [backend]), ("extra", sorted({backend, "cpu"}))):
                target = torch_plan.deploy_target(
                    plan_for(
                        torch_version=release.minor,
                        backend_selection=mode,
                        backends=backends,
                        platforms=linux,
                    )
                )
                assert target.backend == backend, (release.minor, backend, mode)
                assert (
                    target.container_gpu_args
                    == torch_plan.CONTAINER_GPU_ARGS[torch_plan.backend_kind(backend)]
                )


# --- the Dockerfile, read ---------------------------------------------------------------


@dataclass
class Stage:
    name: str
    base: str
    instructions: list[tuple[str, str]] = field(default_factory=list)

    def all(self, keyword: str) -> list[str]:
        return [args for kw, args in self.instructions if kw == keyword]


def parse_dockerfile(text: str) -> tuple[dict[str, str], list[Stage]]:
    """(global ARG defaults, stages); continuation lines joined, comments dropped."""
    lines = [line for line in text.splitlines() if not line.lstrip().startswith("#")]
    joined = re.sub(r"\\\n\s*", " ", "\n".join(lines))
    global_args: dict[str, str] = {}
    stages: list[Stage] = []
    for line in joined.splitlines():
        if not line.strip():
            continue
        keyword, _, args = line.strip().partition(" ")
        keyword = keyword.upper()
        if keyword == "FROM":
            base, _, name = args.partition(" AS ")
            stages.append(Stage(name.strip(), base.strip()))
        elif not stages and keyword == "ARG":
            name, _, default = args.partition("=")
            global_args[name] = default
        else:
            stages[-1].instructions.append((keyword, args.strip()))
    return global_args, stages


def env_of(stage: Stage) -> dict[str, str]:
    env = {}
    for args in stage.all("ENV"):
        for item in shlex.split(args):
            name, _, value = item.partition("=")
            env[name] = value
    return env


def uv_syncs(stage: Stage) -> list[tuple[list[str], list[str]]]:
    """Each `uv sync` RUN of a stage: (its --mount options, the uv command)."""
    steps = []
    for args in stage.all("RUN"):
        words = shlex.split(args)
        mounts = [w.removeprefix("--mount=") for w in words if w.startswith("--mount=")]
        command = [w for w in words if not w.startswith("--mount=")]
        if command[:2] == ["uv", "sync"]:
            steps.append((mounts, command))
    return steps


def check_dockerfile(project: Path, answers: dict) -> tuple[dict, list[Stage]]:
    """What a reader of the Dockerfile checks against the answers."""
    text = (project / "Dockerfile").read_text()
    assert text.startswith("# syntax=docker/dockerfile:1\n")  # BuildKit, for RUN --mount
    global_args, stages = parse_dockerfile(text)
    by_name = {s.name: s for s in stages}
    names = [s.name for s in stages]
    devcontainer = "devcontainer" in answers["deploy"]
    assert names == ["uv", "builder", *(["dev"] if devcontainer else []), "runtime"]
    assert global_args["UV_VERSION"] == torch_plan.UV_MINOR
    assert by_name["uv"].base == "ghcr.io/astral-sh/uv:${UV_VERSION}"

    builder, runtime = by_name["builder"], by_name["runtime"]
    assert builder.base == runtime.base == "debian:bookworm-slim"  # same base: /python runs in both
    env = env_of(builder)
    python = answers["python_version"]
    assert (env["UV_COMPILE_BYTECODE"], env["UV_LINK_MODE"]) == ("1", "copy")
    assert env["UV_PYTHON"] == python and f"uv python install {python}" in builder.all("RUN")

    target = torch_plan.deploy_target(plan_for(**answers))
    extra = ["--extra", "$TORCH_EXTRA"] if target.extra else []
    assert global_args.get("TORCH_EXTRA") == target.extra
    assert ("TORCH_EXTRA" in builder.all("ARG")) is bool(target.extra)
    syncs = uv_syncs(builder)
    assert [command for _, command in syncs] == [
        ["uv", "sync", "--locked", "--no-install-project", "--no-dev", *extra],
        ["uv", "sync", "--locked", "--no-dev", *extra],
    ]
    # uv's cache is a cache mount wherever uv syncs, the dev stage's too
    cache = f"type=cache,target={env['UV_CACHE_DIR']}"
    assert all(cache in mounts for stage in stages for mounts, _ in uv_syncs(stage))
    assert sorted(syncs[0][0]) == sorted(
        [
            cache,
            "type=bind,source=uv.lock,target=uv.lock",
            "type=bind,source=pyproject.toml,target=pyproject.toml",
        ]
    )
    assert syncs[1][0] == [cache]
    # the project is copied in between the two syncs
    order = [(kw, args) for kw, args in builder.instructions if kw == "COPY" or "uv sync" in args]
    assert [kw for kw, _ in order] == ["COPY", "RUN", "COPY", "RUN"] and order[2][1] == ". /app"

    assert runtime.all("USER") == ["999:999"] and "useradd" in " ".join(runtime.all("RUN"))
    assert "--from=builder /python /python" in runtime.all("COPY")
    assert json.loads(runtime.all("CMD")[0]) == ["python", "tools/torch_smoke.py"]
    ignored = (project / ".dockerignore").read_text().splitlines()
    assert ".venv" in ignored and "uv.lock" not in ignored
    return global_args, stages


RENDERS = {
    "cpu, all three": answers_for(
        torch_version="2.9",
        backends=["cpu"],
        deploy=["docker", "devcontainer", "slurm"],
        package_name="demo_project",
    ),
    "extra cu128/rocm, dev container without docker": answers_for(
        torch_version="2.9",
        backend_selection="extra",
        backends=["cpu", "cu128", "rocm6.4"],
        deploy=["devcontainer"],
        project_name="Demo.Project_2",
        package_name="demo_project",
    ),
    "rocm, devcontainer and slurm": answers_for(
        torch_version="2.9",
        backends=["rocm6.4"],
        python_version="3.12",
        deploy=["devcontainer", "slurm"],
        package_name="demo_project",
        lock_policy="ignore",
    ),
    "xpu extra, docker and slurm": answers_for(
        torch_version="2.12",
        backend_selection="extra",
        backends=["xpu", "cpu"],
        deploy=["docker", "slurm"],
        package_name="demo_project",
    ),
}


@pytest.mark.parametrize("answers", RENDERS.values(), ids=RENDERS.keys())
def test_deploy_files_agree_with_the_answers(copie, answers):
    result, _ = render(copie, **answers)
    project = result.project_dir
    target = torch_plan.deploy_target(plan_for(**answers))
    expected = {f for d in answers["deploy"] for f in DEPLOY_FILES[d]}
    present = {f for files in DEPLOY_FILES.values() for f in files if (project / f).exists()}
    assert present == expected

    if "Dockerfile" in expected:
        check_dockerfile(project, answers)
    if "devcontainer" in answers["deploy"]:
        config = json.loads((project / ".devcontainer" / "devcontainer.json").read_text())
        assert config["name"] == answers["project_name"]
        assert config["build"]["dockerfile"] == "../Dockerfile" and config["build"]["target"] == "dev"
        assert config["build"].get("args", {}).get("TORCH_EXTRA") == target.extra
        assert config["runArgs"] == target.container_gpu_args
        assert config.get("hostRequirements", {}).get("gpu") == target.host_gpu
        if target.kind == "rocm":  # the group devcontainer.json adds exists in the image
            _, stages = parse_dockerfile((project / "Dockerfile").read_text())
            dev = next(s for s in stages if s.name == "dev")
            assert any("groupadd --system render" in run for run in dev.all("RUN"))
    if "slurm" in answers["deploy"]:
        job = (project / "slurm" / "smoke.sbatch").read_text()
        assert job.startswith("#!/bin/bash\n")  # sbatch wants the interpreter on the first line
        subprocess.run(["bash", "-n", str(project / "slurm" / "smoke.sbatch")], check=True)
        directives = re.findall(r"^#SBATCH (\S+)", job, re.M)
        assert any(d.startswith("--gpus-per-node=") for d in directives) is (target.kind != "cpu")
        assert "tools/torch_smoke.py --distributed" in job
        # One task per process through srun, in the environment synced once before: no torchrun.
        srun = [line for line in job.splitlines() if line.startswith("srun ")]
        assert srun == ["srun --kill-on-bad-exit=1 uv run --no-sync tools/torch_smoke.py --distributed"]
        assert not [line for line in job.splitlines() if "torchrun" in line and not line.startswith("#")]
        sync = "uv sync --locked --no-dev" + (' --extra "$TORCH_EXTRA"' if target.extra else "")
        assert job.index(f"\n{sync}\n") < job.index("\nsrun ")
        if target.extra:
            assert f'TORCH_EXTRA="${{TORCH_EXTRA:-{target.extra}}}"' in job
        # The job's report lands in the project: git must not pick it up with `git add -A`.
        output = re.search(r"^#SBATCH --output=(\S+)", job, re.M)[1].replace("%j", "4242")
        subprocess.run(["git", "init", "-q"], cwd=project, check=True)
        ignored = subprocess.run(["git", "check-ignore", "-q", output], cwd=project)
        assert ignored.returncode == 0, f"{output} is not git-ignored"
    readme = (project / "README.md").read_text()
    assert "## Containers and clusters" in readme
    assert ("sbatch slurm/smoke.sbatch" in readme) is ("slurm" in answers["deploy"])
    assert ("docker build" in readme) is ("docker" in answers["deploy"])
    needs_lock = answers.get("lock_policy") == "ignore" and {"docker", "slurm"} & set(answers["deploy"])
    assert ("uv.lock is not committed" in readme) is bool(needs_lock)


def test_no_deploy_answer_renders_none_of_it(copie):
    result, _ = render(copie, torch_version="2.9", backends=["cpu"])
    files = {f for fs in DEPLOY_FILES.values() for f in fs}
    assert not any((result.project_dir / f).exists() for f in files)
    assert not (result.project_dir / "slurm").exists() and not (result.project_dir / ".devcontainer").exists()
    assert "## Containers and clusters" not in (result.project_dir / "README.md").read_text()


# --- the Dockerfile's uv steps, run ---------------------------------------------------------


@pytest.fixture(scope="module")
def uv_env(tmp_path_factory):
    return uv_environment(tmp_path_factory.mktemp("uv-cache-deploy"))


def _installed(venv: Path) -> dict[str, str]:
    site = next((venv / "lib").glob("python*/site-packages"))
    found = {}
    for dist in site.glob("*.dist-info"):
        name, _, version = dist.name.removesuffix(".dist-info").partition("-")
        found[name.lower().replace("_", "-")] = version
    return found


@pytest.mark.network
def test_the_dockerfile_sync_steps_install_the_locked_build(copie, uv_env, tmp_path):
    """The builder's steps in the builder's order: from uv.lock and pyproject.toml alone, then
    from the whole project as `COPY . /app` would leave it (.dockerignore applied)."""
    release = "2.9.1"
    wheels = catalogue_wheels({release: {b: CATALOGUE[release][b] for b in ("cpu", "cu128")}})
    index = LocalIndex(tmp_path / "index", wheels)
    index.write()
    with IndexServer(index.root) as server:
        answers = answers_for(
            torch_version="2.9",
            python_version="3.11",
            backend_selection="extra",
            backends=["cpu", "cu128"],
            platforms=["linux-x86_64", "macos-arm64"],
            torch_libraries=["torchvision"],
            deploy=["docker"],
            pytorch_index_url=server.base_url,
            package_name="demo_project",
        )
        result, _ = render(copie, **answers)
        project = result.project_dir
        lock(project, uv_env)
        global_args, stages = check_dockerfile(project, answers)
        builder = next(s for s in stages if s.name == "builder")
        # The image's settings, except where its Python lives: this machine has no uv-managed
        # Python and may not download one, so the steps use this interpreter instead.
        env = {
            k: v
            for k, v in env_of(builder).items()
            if k not in ("UV_PYTHON_INSTALL_DIR", "UV_PYTHON_PREFERENCE")
        }
        env = {**uv_env, **env, "UV_PYTHON": sys.executable, "TORCH_EXTRA": global_args["TORCH_EXTRA"]}
        app = tmp_path / "app"
        app.mkdir()
        (dependencies_mounts, dependencies), (_, project_sync) = uv_syncs(builder)

        for name in ("uv.lock", "pyproject.toml"):  # the bind mounts, there only during the step
            shutil.copy2(project / name, app / name)
        _run(dependencies, app, env)
        for name in ("uv.lock", "pyproject.toml"):
            (app / name).unlink()
        first = _installed(app / ".venv")
        assert first["torch"] == "2.9.1+cu128" and first["torchvision"] == "0.24.1+cu128"
        assert "demo-project" not in first and "pytest" not in first

        (project / ".venv").mkdir(exist_ok=True)  # a local environment the image must not get
        (project / ".venv" / "marker").write_text("local")
        ignored = [
            p for p in (project / ".dockerignore").read_text().splitlines() if p and not p.startswith("#")
        ]
        shutil.copytree(project, app, dirs_exist_ok=True, ignore=shutil.ignore_patterns(*ignored))
        assert not (app / ".venv" / "marker").exists()
        _run(project_sync, app, env)
        second = _installed(app / ".venv")
        assert second["demo-project"] == "0.1.0" and second["torch"] == "2.9.1+cu128"
        assert "pytest" not in second  # --no-dev


def _run(command: list[str], cwd: Path, env: dict[str, str]) -> None:
    args = [env["TORCH_EXTRA"] if word == "$TORCH_EXTRA" else word for word in command[1:]]
    result = subprocess.run([UV, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, f"{' '.join(command)}:\n{result.stdout}\n{result.stderr}"


# --- the SLURM job, run ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def slurm(tmp_path_factory):
    missing = missing_programs()
    if missing:
        pytest.skip(f"no SLURM here ({', '.join(missing)} missing): apt-get install slurm-wlm munge")
    if os.geteuid() != 0:
        pytest.skip("slurmd must run as root to start jobs")
    with LocalSlurm(tmp_path_factory.mktemp("slurm")) as cluster:
        yield cluster


@pytest.mark.network
def test_the_slurm_job_joins_every_task_across_two_nodes_with_clean_output(copie, uv_env, slurm, tmp_path):
    """The rendered job as a user submits it for two nodes, three times: each run completes, rank
    0 prints the one report, the all-reduce spans both nodes, and nothing else is said."""
    wheel, minor = real_torch_or_skip()
    index = LocalIndex(tmp_path / "index", files={"cpu": [wheel]})
    index.write()
    with IndexServer(index.root) as server:
        answers = real_cpu_answers(minor, server.base_url, deploy=["slurm"])
        result, _ = render(copie, **answers)
        project = result.project_dir
        lock(project, uv_env)
        job_env = dict(uv_env)
        job_env.update(
            UV_PYTHON=sys.executable, PATH=os.pathsep.join([str(Path(UV).parent), job_env["PATH"]])
        )
        runs = [
            slurm.submit(
                project / "slurm" / "smoke.sbatch",
                project,
                job_env,
                "--nodes=2",
                "--ntasks-per-node=1",
                minutes=3,
            )
            for _ in range(3)
        ]
    for state, output in runs:
        report = output.read_text() if output.exists() else f"(no {output.name})\n{slurm.logs()}"
        assert "JobState=COMPLETED" in state, report
        assert re.search(r"NodeList=\S+,\S+", state), state  # both nodes
        assert report.count("VERDICT: OK") == 1, report  # one report, from rank 0
        all_reduce = [line for line in report.splitlines() if re.match(r"\[\s*ok\] all-reduce", line)]
        assert len(all_reduce) == 1 and "gloo, 2 processes" in all_reduce[0] and "(srun)" in all_reduce[0]
        # Clean: the sync's own lines, then the report; no trace, no warning, no rendezvous error.
        for noise in ("Traceback", "Warning", "RendezvousConnectionError", "NumPy", "[W", "[E"):
            assert noise not in report, report


def test_the_image_can_install_every_offered_python_and_free_threaded_ones():
    """The builder runs `uv python install <python_version>`: uv must know a CPython build for
    every version the question offers, and for a free-threaded request such as 3.14t."""
    offered = {python for release in torch_plan.matrix.RELEASES for python in release.pythons}
    for python in sorted(offered) + ["3.14t"]:
        listing = subprocess.run(
            [UV, "python", "list", python, "--only-downloads", "--all-versions"],
            capture_output=True,
            text=True,
            timeout=60,
        ).stdout.split()
        builds = [b for b in listing if b.startswith(f"cpython-{python.rstrip('t')}.")]
        if python.endswith("t"):
            builds = [b for b in builds if "+freethreaded-linux-" in b]
        assert any("-linux-" in b and b.endswith("-gnu") for b in builds), (python, listing[:6])
