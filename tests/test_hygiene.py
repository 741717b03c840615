"""What rendered projects carry besides PyTorch: a hardened CI, ruff, Dependabot, README advice.

The tools are the ones a user would run (zizmor, ruff, check-jsonschema), at the versions the
test group pins; all of them work offline.
"""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

import copier
import pytest
import yaml

from helpers import ROOT, answers_for, matrix

BIN = Path(sys.executable).parent
RUFF_PIN = next(
    r.split("==")[1]
    for r in tomllib.loads((ROOT / "pyproject.toml").read_text())["dependency-groups"]["test"]
    if r.startswith("ruff==")
)

# A representative set of answers: the defaults (CI on macOS), an old torch on Python 3.9 with
# extras and an ignored lock, ROCm with every library on one platform, and no CI at all.
CASES = {
    "defaults": {},
    "extras-py39-ignore": {
        "torch_version": "2.5",
        "python_version": "3.9",
        "backend_selection": "extra",
        "backends": ["cpu", "cu124"],
        "lock_policy": "ignore",
    },
    "rocm-linux": {
        "torch_version": "2.9",
        "backends": ["rocm6.4"],
        "platforms": ["linux-x86_64"],
        "torch_libraries": ["torchvision", "torchaudio"],
    },
    "extras-deploy": {
        "torch_version": "2.9",
        "backend_selection": "extra",
        "backends": ["cpu", "cu128"],
        "deploy": ["docker", "devcontainer", "slurm"],
        "lock_policy": "ignore",
    },
    "no-ci": {
        "ci": "none",
        "backend_selection": "extra",
        "backends": ["cpu", "cu128", "xpu"],
        "torch_version": "2.9",
    },
}


@pytest.fixture(scope="module")
def rendered() -> dict:
    """case -> (project directory, answers): each case is rendered once for the module."""
    return {}


@pytest.fixture(params=CASES)
def project(request, template_copy, tmp_path_factory, rendered):
    """A rendered project (nothing in this module changes it) and its answers."""
    case = request.param
    if case not in rendered:
        answers = {"ci": "github", "lock_policy": "commit", **answers_for(**CASES[case])}
        destination = tmp_path_factory.mktemp(case)
        copier.run_copy(
            str(template_copy), str(destination), data=answers, defaults=True, unsafe=True, quiet=True
        )
        rendered[case] = destination, answers
    return rendered[case]


def workflow(project_dir: Path, name: str = "ci.yml") -> dict:
    return yaml.safe_load((project_dir / ".github" / "workflows" / name).read_text())


WORKFLOWS = ["ci.yml", "template-update.yml"]


def test_every_workflow_is_rendered_with_github_ci(project):
    project_dir, answers = project
    folder = project_dir / ".github" / "workflows"
    found = sorted(p.name for p in folder.iterdir()) if folder.exists() else []
    assert found == (WORKFLOWS if answers["ci"] == "github" else [])


def test_zizmor_finds_nothing_at_medium_or_above(project):
    project_dir, answers = project
    if answers["ci"] != "github":
        assert not (project_dir / ".github").exists()
        return
    found = subprocess.run(
        [str(BIN / "zizmor"), "--offline", "--min-severity", "medium", str(project_dir)],
        capture_output=True,
        text=True,
    )
    assert found.returncode == 0, found.stdout + found.stderr
    for audited in (*(f"workflows/{name}" for name in WORKFLOWS), "dependabot.yml"):
        assert f".github/{audited}" in found.stderr, found.stderr  # zizmor read both files


def test_workflow_is_pinned_and_least_privileged(project):
    project_dir, answers = project
    if answers["ci"] != "github":
        pytest.skip("no CI rendered for ci=none")
    glob = "uv.lock" if answers["lock_policy"] == "commit" else "pyproject.toml"
    pins = set()
    for file in WORKFLOWS:
        text = (project_dir / ".github" / "workflows" / file).read_text()
        uses = re.findall(r"^ *- uses: (.*)$", text, re.MULTILINE)
        assert uses
        for line in uses:  # a full commit, and the release it is, for people and Dependabot
            assert re.fullmatch(r"[\w.-]+/[\w.-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+", line), line
        pins |= set(uses)
        config = workflow(project_dir, file)
        assert config["permissions"] == {}
        for name, job in config["jobs"].items():
            assert job["permissions"] == {"contents": "read"}, name
            for step in job["steps"]:
                if step.get("uses", "").startswith("actions/checkout@"):
                    assert step["with"]["persist-credentials"] is False, name
                if step.get("uses", "").startswith("astral-sh/setup-uv@"):
                    # The weekly check installs nothing of the project's: nothing to cache.
                    cached = file == "ci.yml"
                    assert step["with"]["enable-cache"] is cached
                    assert step["with"].get("cache-dependency-glob") == (glob if cached else None), name
    assert len(pins) == len({pin.split("@")[0] for pin in pins}), pins  # one commit per action


def test_every_job_has_a_time_limit(project):
    # Without one a hung job holds its runner for GitHub's default of six hours.
    project_dir, answers = project
    if answers["ci"] != "github":
        pytest.skip("no CI rendered for ci=none")
    for file in WORKFLOWS:
        for name, job in workflow(project_dir, file)["jobs"].items():
            assert 1 <= job.get("timeout-minutes", 0) <= 30, (file, name)


def shell_snippets(project_dir: Path) -> dict[str, str]:
    """Every shell a user pastes or a runner runs: the README's sh blocks, each workflow step's
    `run`, the SLURM job."""
    readme = (project_dir / "README.md").read_text()
    snippets = {
        f"README.md block {n}": block
        for n, block in enumerate(re.findall(r"^```sh\n(.*?)^```", readme, re.MULTILINE | re.DOTALL))
    }
    folder = project_dir / ".github" / "workflows"
    for file in sorted(folder.glob("*.yml")) if folder.exists() else []:
        for name, job in yaml.safe_load(file.read_text())["jobs"].items():
            for n, step in enumerate(job["steps"]):
                if "run" in step:
                    snippets[f"{file.name} {name} step {n}"] = step["run"]
    job = project_dir / "slurm" / "smoke.sbatch"
    if job.exists():
        snippets["slurm/smoke.sbatch"] = job.read_text()
    return snippets


def shellcheck(snippets: dict[str, str]) -> list[str]:
    found = []
    for where, text in snippets.items():
        result = subprocess.run(
            [str(BIN / "shellcheck"), "--shell=bash", "--format=gcc", "-"],
            input=text,
            capture_output=True,
            text=True,
        )
        if result.returncode:
            found.append(f"{where}:\n{text}\n{result.stdout}{result.stderr}")
    return found


def test_every_shell_snippet_passes_shellcheck(project):
    project_dir, answers = project
    snippets = shell_snippets(project_dir)
    assert len(snippets) >= 8
    if answers.get("deploy"):
        assert "slurm/smoke.sbatch" in snippets
    assert shellcheck(snippets) == []


def test_shellcheck_finds_the_traps_it_is_here_for():
    # The two a README had: a <placeholder> bash reads as a redirect, an export that hides
    # its command's status.
    traps = {
        "placeholder": "uvx copier update --data torch_version=<minor>\n",
        "export": 'export MASTER_ADDR=$(scontrol show hostnames "$SLURM_JOB_NODELIST" | head -n 1)\n',
    }
    found = shellcheck(traps)
    assert len(found) == 2 and "SC2155" in found[1], found


def test_the_repository_readme_snippets_pass_shellcheck():
    snippets = shell_snippets(ROOT)
    assert any("copier copy" in text for text in snippets.values())
    assert shellcheck(snippets) == []


def test_the_dockerfile_passes_hadolint(project):
    project_dir, answers = project
    dockerfile = project_dir / "Dockerfile"
    assert dockerfile.exists() is bool(answers.get("deploy"))
    if not dockerfile.exists():
        return
    result = subprocess.run(
        [str(BIN / "hadolint"), "--no-color", str(dockerfile)], capture_output=True, text=True
    )
    assert result.returncode == 0 and result.stdout == "", result.stdout + result.stderr


def runs(job: dict) -> list[str]:
    return [step["run"] for step in job["steps"] if "run" in step]


def test_lock_guard_runs_first_without_pytorch(project):
    project_dir, answers = project
    if answers["ci"] != "github":
        pytest.skip("no CI rendered for ci=none")
    jobs = workflow(project_dir)["jobs"]
    for name, job in jobs.items():
        if name not in ("lock", "lint"):
            assert job["needs"] == "lock", name
    guard = runs(jobs["lock"])[-1]
    old_python = int(answers["python_version"].split(".")[1]) < 11  # tomllib came with 3.11
    locked = "--locked " if answers["lock_policy"] == "commit" else ""
    python = " --python 3.11" if old_python else ""
    assert guard == f"uv run {locked}--only-dev{python} pytest tests/test_lock.py"
    readme = (project_dir / "README.md").read_text()
    assert f"uv run --only-dev{python} pytest tests/test_lock.py" in readme


def test_ci_skips_mps_on_hosted_macos(project, request):
    # actions/runner-images#9918: MPS reports available on macOS runners, its allocations fail.
    project_dir, answers = project
    if answers["ci"] != "github":
        pytest.skip("no CI rendered for ci=none")
    ci = workflow(project_dir)
    test = ci["jobs"]["test"]
    commands = runs(test)
    smoke = [c for c in commands if c.endswith("tools/torch_smoke.py")]
    pytest_runs = [c for c in commands if " pytest" in c]
    if test["runs-on"].startswith("macos"):
        assert not smoke, commands
        assert pytest_runs == ['uv run --no-sync pytest -m "not gpu"'], commands
        markers = tomllib.loads((project_dir / "pyproject.toml").read_text())["tool"]["pytest"]["ini_options"]
        assert any(m.startswith("gpu:") for m in markers["markers"])
    else:
        assert smoke and pytest_runs == ["uv run --no-sync pytest"], commands
    if request.node.callspec.params["project"] == "defaults":
        assert test["runs-on"] == "macos-latest"  # the only platform the default CUDA build leaves on CPU


def test_ruff_config_and_the_rendered_code_passes_it(project):
    project_dir, answers = project
    tool = tomllib.loads((project_dir / "pyproject.toml").read_text())["tool"]
    target = "py" + answers["python_version"].replace(".", "")
    assert tool["ruff"] == {
        "line-length": 100,
        "target-version": target,
        "lint": {"select": ["E", "F", "W", "I", "UP", "B"]},
    }
    # In the project, as a user (or CI, or pre-commit) runs it: the settings come from pyproject.toml.
    for command in (
        ["check", "--no-cache", "--output-format", "concise", "."],
        ["format", "--check", "--no-cache", "."],
    ):
        result = subprocess.run(
            [str(BIN / "ruff"), *command], cwd=project_dir, capture_output=True, text=True
        )
        assert result.returncode == 0, f"ruff {command[0]}:\n{result.stdout}{result.stderr}"


def test_ruff_runs_at_one_version_everywhere(project):
    project_dir, answers = project
    config = yaml.safe_load((project_dir / ".pre-commit-config.yaml").read_text())
    repos = {repo["repo"]: repo for repo in config["repos"]}
    ruff = repos["https://github.com/astral-sh/ruff-pre-commit"]
    assert ruff["rev"] == f"v{RUFF_PIN}"
    assert [hook["id"] for hook in ruff["hooks"]] == ["ruff-check", "ruff-format"]
    assert "check-merge-conflict" in {
        h["id"] for h in repos["https://github.com/pre-commit/pre-commit-hooks"]["hooks"]
    }
    readme = (project_dir / "README.md").read_text()
    assert f"uvx ruff@{RUFF_PIN} check --fix" in readme and f"uvx ruff@{RUFF_PIN} format" in readme
    if answers["ci"] == "github":
        lint = runs(workflow(project_dir)["jobs"]["lint"])
        assert lint == [f"uvx ruff@{RUFF_PIN} check", f"uvx ruff@{RUFF_PIN} format --check"]


def check_jsonschema(path: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(BIN / "check-jsonschema"), "--builtin-schema", "vendor.dependabot", str(path)],
        capture_output=True,
        text=True,
    )


def test_dependabot_leaves_the_pytorch_family_alone(project, tmp_path):
    project_dir, answers = project
    path = project_dir / ".github" / "dependabot.yml"
    assert path.exists() is (answers["ci"] == "github")
    readme = (project_dir / "README.md").read_text()
    assert ("## Dependency updates" in readme) is path.exists()
    if not path.exists():
        return
    valid = check_jsonschema(path)
    assert valid.returncode == 0, valid.stdout + valid.stderr
    config = yaml.safe_load(path.read_text())
    updates = {update["package-ecosystem"]: update for update in config["updates"]}
    assert set(updates) == {"github-actions", "uv"}
    for update in updates.values():
        assert update["cooldown"]["default-days"] >= 1
    ignored = {rule["dependency-name"] for rule in updates["uv"]["ignore"]}
    pytorch = set(tomllib.loads((project_dir / "pyproject.toml").read_text())["tool"]["uv"]["sources"])
    assert {"torch", *answers["torch_libraries"]} <= pytorch
    assert ignored == pytorch | set(matrix.CUDA_RUNTIME_PACKAGES)
    for package in pytorch:
        assert f"`{package}`" in readme.split("## Dependency updates")[1]
    # The schema check is a real one: an unknown ecosystem fails it.
    wrong = tmp_path / "dependabot.yml"
    wrong.write_text(path.read_text().replace("package-ecosystem: uv", "package-ecosystem: uvv"))
    assert check_jsonschema(wrong).returncode != 0


def test_readme_warns_that_sources_stay_out_of_built_wheels(project):
    project_dir, _ = project
    readme = (project_dir / "README.md").read_text()
    section = readme.split("## Publishing the project as a library")[1]
    assert "`[tool.uv.sources]`" in section and "talmolab/sleap-nn/pull/340" in section
    assert "gets `torch` from PyPI" in section


def test_repository_ci_runs_ruff_before_the_tests():
    lines = [line.strip() for line in (ROOT / ".ci" / "run").read_text().splitlines()]
    check = lines.index("uv run --group test ruff check")
    format_check = lines.index("uv run --group test ruff format --check")
    tests = lines.index("uv run --group test pytest")
    assert check < tests and format_check < tests
    tool = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["ruff"]
    assert tool["line-length"] == 110
    assert tool["lint"]["select"] == ["E", "F", "W", "I", "UP", "B"]
