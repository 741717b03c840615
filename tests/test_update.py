"""`copier update` on rendered projects: user edits survive, template changes and new answers
land, conflicts show the usual way, renamed answers are carried over, known traps are met."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

import copier
import pytest
import yaml

from helpers import ROOT, answers_for
from render_checks import check_rendering
from template_files import copy_template

START = answers_for(
    torch_version="2.9",
    python_version="3.11",
    backends=["cu128"],
    platforms=["linux-x86_64", "linux-aarch64", "macos-arm64"],
    torch_libraries=["torchvision"],
)
V2_README_SECTION = "## Troubleshooting\n\nRun the smoke check first: it names what is wrong.\n\n"


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True).stdout


def _snapshot_template(target: Path) -> Path:
    copy_template(target)
    git(target, "init", "-q", "-b", "main")
    return target


def _commit_and_tag(repo: Path, tag: str | None) -> None:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", f"release {tag}")
    if tag:
        git(repo, "tag", tag)


@pytest.fixture(scope="module")
def template_repo(tmp_path_factory) -> Path:
    """This template as v0.1.0, and a v0.2.0 that adds a README section and a pytest option."""
    repo = _snapshot_template(tmp_path_factory.mktemp("template-repo") / "uv-torch-template")
    _commit_and_tag(repo, "v0.1.0")
    readme = repo / "template" / "README.md.jinja"
    readme.write_text(
        readme.read_text().replace("## Private mirrors", V2_README_SECTION + "## Private mirrors")
    )
    pyproject = repo / "template" / "pyproject.toml.jinja"
    pyproject.write_text(
        pyproject.read_text().replace('testpaths = ["tests"]', 'testpaths = ["tests"]\naddopts = "-ra"')
    )
    _commit_and_tag(repo, "v0.2.0")
    return repo


def new_project(template: Path, destination: Path, ref: str | None = "v0.1.0", **answers) -> Path:
    copier.run_copy(
        str(template),
        str(destination),
        data={**START, **answers},
        vcs_ref=ref,
        defaults=True,
        unsafe=True,
        quiet=True,
    )
    git(destination, "init", "-q", "-b", "main")
    git(destination, "add", "-A")
    git(destination, "commit", "-q", "-m", "Start from the template")
    return destination


def update(project: Path, ref: str | None = "v0.2.0", **answers) -> None:
    copier.run_update(
        str(project), data=answers, vcs_ref=ref, defaults=True, overwrite=True, unsafe=True, quiet=True
    )


def make_user_edits(project: Path) -> None:
    """What users do: their own README section, a dependency, a module, another test."""
    readme = project / "README.md"
    readme.write_text(readme.read_text() + "\n## Our experiments\n\nResults live in `runs/`.\n")
    pyproject = project / "pyproject.toml"
    pyproject.write_text(
        pyproject.read_text().replace(
            "    # Your dependencies:\n", '    # Your dependencies:\n    "numpy>=2",\n'
        )
    )
    (project / "src" / "demo_project" / "model.py").write_text("def forward(x):\n    return x\n")
    test = project / "tests" / "test_gpu_smoke.py"
    test.write_text(test.read_text() + "\n\ndef test_ours():\n    assert True\n")
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "Our work")


def assert_user_edits_kept(project: Path) -> None:
    assert "## Our experiments" in (project / "README.md").read_text()
    assert '"numpy>=2",' in (project / "pyproject.toml").read_text()
    assert (project / "src" / "demo_project" / "model.py").exists()
    assert "def test_ours" in (project / "tests" / "test_gpu_smoke.py").read_text()


def assert_no_conflicts(project: Path) -> None:
    for path in project.rglob("*"):
        if ".git" in path.parts or not path.is_file():
            continue
        assert not path.name.endswith(".rej"), path
        assert not re.search(r"^(<<<<<<<|>>>>>>>) ", path.read_text(errors="replace"), re.M), path


def test_update_to_a_new_release_keeps_user_edits(template_repo, tmp_path):
    project = new_project(template_repo, tmp_path / "project")
    make_user_edits(project)
    update(project)
    assert_user_edits_kept(project)
    assert_no_conflicts(project)
    assert V2_README_SECTION.strip() in (project / "README.md").read_text()
    assert 'addopts = "-ra"' in (project / "pyproject.toml").read_text()
    assert yaml.safe_load((project / ".copier-answers.yml").read_text())["_commit"] == "v0.2.0"


ANSWER_CHANGES = {
    "another torch": {"torch_version": "2.12", "backends": ["cu130"]},
    "another CUDA": {"backends": ["cu126"]},
    "the other mode": {"backend_selection": "extra", "backends": ["cpu", "cu128", "rocm6.4"]},
    "a platform added": {"platforms": ["linux-x86_64", "linux-aarch64", "macos-arm64", "windows-x86_64"]},
    "a platform removed": {"platforms": ["linux-x86_64", "macos-arm64"]},
    "a library added": {"torch_libraries": ["torchvision", "torchaudio"]},
}


@pytest.mark.parametrize("change", ANSWER_CHANGES.values(), ids=ANSWER_CHANGES.keys())
def test_update_with_new_answers_rewrites_pins_indexes_and_sources(template_repo, tmp_path, change):
    project = new_project(template_repo, tmp_path / "project")
    make_user_edits(project)
    update(project, **change)
    assert_user_edits_kept(project)
    assert_no_conflicts(project)
    recorded = yaml.safe_load((project / ".copier-answers.yml").read_text())
    check_rendering(project, {**START, **change, "python_version": recorded["python_version"]})


def test_update_from_extras_back_to_platform_mode(template_repo, tmp_path):
    project = new_project(
        template_repo, tmp_path / "project", backend_selection="extra", backends=["cpu", "cu128"]
    )
    make_user_edits(project)
    update(project, backend_selection="platform", backends=["cu128"])
    assert_user_edits_kept(project)
    assert_no_conflicts(project)
    check_rendering(project, {**START, "backend_selection": "platform", "backends": ["cu128"]})


def test_same_lines_changed_on_both_sides_conflict_the_copier_way(template_repo, tmp_path):
    project = new_project(template_repo, tmp_path / "project")
    pyproject = project / "pyproject.toml"
    pyproject.write_text(pyproject.read_text().replace('"torch==2.9.*"', '"torch==2.9.1"'))
    git(project, "commit", "-q", "-am", "Pin torch exactly")
    update(project, torch_version="2.12", backends=["cu130"])
    text = pyproject.read_text()
    assert "<<<<<<< before updating" in text and ">>>>>>> after updating" in text
    assert '"torch==2.9.1"' in text and '"torch==2.12.*"' in text
    # The rendered pre-commit configuration stops such a file from being committed.
    config = yaml.safe_load((project / ".pre-commit-config.yaml").read_text())
    hooks = {h["id"]: h for repo in config["repos"] for h in repo["hooks"]}
    assert "--assume-in-merge" in hooks["check-merge-conflict"]["args"]
    hook = Path(sys.executable).with_name("check-merge-conflict")
    found = subprocess.run(
        [str(hook), *hooks["check-merge-conflict"]["args"], str(pyproject)],
        cwd=project,
        capture_output=True,
        text=True,
    )
    assert found.returncode == 1 and "Merge conflict string" in found.stdout


def _rename_libraries(repo: Path) -> None:
    """Make this copy a template whose `torch_libraries` question is still called `libraries`."""
    for path in [repo / "copier.yml", *(repo / "template").rglob("*.jinja")]:
        path.write_text(re.sub(r"\btorch_libraries\b", "libraries", path.read_text()))
    hooks = repo / "extensions" / "copier_hooks.py"
    hooks.write_text(hooks.read_text().replace('"torch_libraries"', '"libraries"'))


def _rename_back_with_a_migration(repo: Path) -> None:
    """The next release: today's template, with the rename recorded for the migration."""
    copy_template(repo)
    migrations = repo / "extensions" / "answer_migrations.py"
    migrations.write_text(
        migrations.read_text().replace(
            "RENAMES: list[Rename] = []",
            'RENAMES: list[Rename] = [Rename("0.2.0", "libraries", "torch_libraries")]',
        )
    )


def _project_answering_libraries(repo: Path, project: Path, ref: str | None) -> Path:
    start = {k: v for k, v in START.items() if k != "torch_libraries"}
    copier.run_copy(
        str(repo),
        str(project),
        data={**start, "libraries": ["torchvision", "torchaudio"]},
        vcs_ref=ref,
        defaults=True,
        unsafe=True,
        quiet=True,
    )
    git(project, "init", "-q")
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "start")
    return project


def test_a_renamed_question_keeps_its_answer(tmp_path):
    repo = _snapshot_template(tmp_path / "template")
    _rename_libraries(repo)
    _commit_and_tag(repo, "v0.1.0")
    _rename_back_with_a_migration(repo)
    _commit_and_tag(repo, "v0.2.0")
    project = _project_answering_libraries(repo, tmp_path / "project", "v0.1.0")
    update(project)
    answers = yaml.safe_load((project / ".copier-answers.yml").read_text())
    assert answers["torch_libraries"] == ["torchvision", "torchaudio"]  # not the default
    assert "libraries" not in answers
    assert '"torchaudio==2.9.*"' in (project / "pyproject.toml").read_text()


# --- traps ----------------------------------------------------------------------------------


def test_update_needs_a_clean_git_tree_as_the_project_readme_says(template_repo, tmp_path):
    project = new_project(template_repo, tmp_path / "project")
    assert "clean tree" in (project / "README.md").read_text()  # what the project tells its user
    (project / "README.md").write_text("uncommitted\n")
    with pytest.raises(Exception, match="dirty"):
        update(project)


def test_deleted_files_stay_deleted_until_recopy_redoes_the_project_from_its_answers(template_repo, tmp_path):
    project = new_project(template_repo, tmp_path / "project")
    git(project, "rm", "-q", ".pre-commit-config.yaml")
    git(project, "commit", "-q", "-m", "We do not use pre-commit")
    update(project)
    assert not (project / ".pre-commit-config.yaml").exists()
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "update")
    copier.run_recopy(str(project), defaults=True, overwrite=True, unsafe=True, quiet=True)
    assert (project / ".pre-commit-config.yaml").exists()
    check_rendering(project, START)  # the recorded answers, not the defaults


def test_a_copy_from_a_relative_path_is_warned_about(template_repo, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(template_repo.parent)
    project = tmp_path / "project"
    copier.run_copy(
        template_repo.name, str(project), data=START, vcs_ref="v0.1.0", defaults=True, unsafe=True
    )
    recorded = yaml.safe_load((project / ".copier-answers.yml").read_text())["_src_path"]
    assert recorded == template_repo.name
    message = capsys.readouterr()
    assert "relative path" in message.out + message.err
    # The trap itself: from the project, the recorded path leads nowhere.
    git(project, "init", "-q")
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "start")
    monkeypatch.chdir(project)
    with pytest.raises(Exception, match="git-tracked"):
        update(project)


def test_an_untagged_template_updates_but_runs_no_migration(tmp_path):
    repo = _snapshot_template(tmp_path / "template")
    _rename_libraries(repo)
    _commit_and_tag(repo, None)
    project = _project_answering_libraries(repo, tmp_path / "project", None)
    _rename_back_with_a_migration(repo)
    _commit_and_tag(repo, None)
    update(project, ref=None)
    answers = yaml.safe_load((project / ".copier-answers.yml").read_text())
    assert answers["torch_libraries"] == ["torchvision"]  # the default: the old answer is lost


# --- the task after copy ------------------------------------------------------------------


def run_lock_task(
    directory: Path, uv_says: str | None = None, python: str = ""
) -> subprocess.CompletedProcess:
    """extensions/lock_project.py in `directory`, with a `uv` that prints `uv_says` on stderr and
    fails (None: no uv on PATH), for a project whose .python-version is `python`."""
    fake = directory / "bin"
    fake.mkdir()
    if uv_says is not None:
        (fake / "uv").write_text(f"#!/bin/sh\nprintf '%s\\n' '{uv_says}' >&2\nexit 2\n")
        (fake / "uv").chmod(0o755)
    if python:
        (directory / ".python-version").write_text(f"{python}\n")
    return subprocess.run(
        [sys.executable, str(ROOT / "extensions" / "lock_project.py")],
        cwd=directory,
        env={"PATH": str(fake)},
        capture_output=True,
        text=True,
    )


def test_lock_task_skips_quietly_without_uv(tmp_path):
    result = run_lock_task(tmp_path)
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


def test_lock_task_reports_a_failed_lock_without_failing(tmp_path):
    result = run_lock_task(tmp_path, "error: the index is unreachable")
    assert result.returncode == 0
    assert "error: the index is unreachable" in result.stderr and "uv lock" in result.stderr


def test_lock_task_keeps_uv_s_cause_and_does_not_blame_the_indexes_for_a_python_download(tmp_path):
    # uv's answer where the Python download failed (issue 22, 2): the index was fine.
    said = (
        "error: Failed to install cpython-3.14.0+freethreaded-linux-x86_64-gnu\n"
        "  Caused by: Failed to download https://github.com/astral-sh/python-build-standalone/releases/x.tar.gz\n"
        "  Caused by: HTTP status client error (404 Not Found)"
    )
    result = run_lock_task(tmp_path, said, python="3.14t")
    assert result.returncode == 0
    assert (
        "Caused by: Failed to download https://github.com/astral-sh/python-build-standalone" in result.stderr
    )
    assert "indexes are reachable" not in result.stderr and "uv python install 3.14t" in result.stderr


def test_lock_task_names_the_interpreter_when_that_is_what_is_missing(tmp_path):
    # uv's answer offline (or with Python downloads off) for a free-threaded project.
    message = (
        "error: No interpreter found for Python 3.14+freethreaded in managed installations or search path"
    )
    result = run_lock_task(tmp_path, message, python="3.14t")
    assert result.returncode == 0
    assert message in result.stderr and "uv python install 3.14t" in result.stderr


# --- deploy targets added and removed -------------------------------------------------------


def test_adding_and_removing_deploy_targets_keeps_user_edits(template_repo, tmp_path):
    project = new_project(template_repo, tmp_path / "project")
    make_user_edits(project)
    update(project, deploy=["docker", "slurm"])
    assert_user_edits_kept(project)
    assert_no_conflicts(project)
    assert (project / "Dockerfile").exists() and (project / "slurm" / "smoke.sbatch").exists()
    assert "## Containers and clusters" in (project / "README.md").read_text()

    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "update: docker and slurm")
    # The user's own lines in the new files, then the slurm job dropped and a dev container added.
    dockerfile = project / "Dockerfile"
    dockerfile.write_text(
        dockerfile.read_text().replace(
            "USER 999:999\n", "RUN mkdir -p /app/runs && chown 999 /app/runs\nUSER 999:999\n"
        )
    )
    git(project, "commit", "-q", "-am", "A directory for runs")
    update(project, deploy=["docker", "devcontainer"])
    assert_user_edits_kept(project)
    assert_no_conflicts(project)
    assert not (project / "slurm" / "smoke.sbatch").exists()
    assert (project / ".devcontainer" / "devcontainer.json").exists()
    text = dockerfile.read_text()
    assert "chown 999 /app/runs" in text and "FROM builder AS dev" in text
    assert "sbatch" not in (project / "README.md").read_text()

    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "update")
    update(project, deploy=[])
    assert_user_edits_kept(project)
    assert not (project / ".devcontainer" / "devcontainer.json").exists()
    assert "## Containers and clusters" not in (project / "README.md").read_text()


def test_each_template_version_renders_with_its_own_data(tmp_path):
    """`copier update` renders the old and the new template in one process: each must read its
    own extensions/torch_matrix.py, or the new data never reaches the project."""
    repo = _snapshot_template(tmp_path / "uv-torch-template")
    data = repo / "extensions" / "torch_matrix.py"
    new_data = data.read_text()
    data.write_text(new_data.replace('_vision("0.24.1", "2.9"', '_vision("0.23.9", "2.9"'))
    _commit_and_tag(repo, "v0.1.0")
    data.write_text(new_data)
    _commit_and_tag(repo, "v0.2.0")
    project = new_project(repo, tmp_path / "project")
    assert '"torchvision==0.23.*"' in (project / "pyproject.toml").read_text()
    make_user_edits(project)
    update(project)
    assert_user_edits_kept(project)
    assert '"torchvision==0.24.*"' in (project / "pyproject.toml").read_text()


# --- the move of the tools out of the user's package (issue 19) -----------------------------

OLD_LAYOUT = "5bd7802"  # the last commit whose projects hold the tools in src/<package>/


def _tree(project: Path) -> dict[str, bytes]:
    return {
        path.relative_to(project).as_posix(): path.read_bytes()
        for path in sorted(project.rglob("*"))
        if path.is_file() and ".git" not in path.relative_to(project).parts
    }


@pytest.fixture(scope="module")
def layout_repo(tmp_path_factory) -> Path:
    """The template as it was at OLD_LAYOUT (v0.1.0), and as it is now (v0.2.0)."""
    found = subprocess.run(["git", "cat-file", "-e", f"{OLD_LAYOUT}^{{commit}}"], cwd=ROOT)
    if found.returncode != 0:
        pytest.skip(f"this clone lacks commit {OLD_LAYOUT} (shallow?): `git fetch --unshallow`")
    repo = tmp_path_factory.mktemp("layout") / "uv-torch-template"
    repo.mkdir()
    archive = subprocess.run(
        ["git", "archive", "--format=tar", OLD_LAYOUT, "copier.yml", "extensions", "template"],
        cwd=ROOT,
        check=True,
        capture_output=True,
    ).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(repo, filter="data")
    git(repo, "init", "-q", "-b", "main")
    _commit_and_tag(repo, "v0.1.0")
    for old in ("extensions", "template"):
        shutil.rmtree(repo / old)
    copy_template(repo)
    _commit_and_tag(repo, "v0.2.0")
    return repo


LAYOUT_CASES = {
    "default": {},
    "extra, ROCm, libraries": {
        "torch_version": "2.9",
        "backend_selection": "extra",
        "backends": ["cpu", "rocm6.4"],
        "platforms": ["linux-x86_64", "macos-arm64"],
        "torch_libraries": ["torchvision", "torchaudio"],
    },
}


@pytest.mark.parametrize("answers", LAYOUT_CASES.values(), ids=LAYOUT_CASES.keys())
def test_an_update_from_the_old_layout_equals_a_fresh_copy(layout_repo, tmp_path, answers):
    answers = answers_for(**answers)
    project = new_project(layout_repo, tmp_path / "project", **answers)
    assert (project / "src" / "demo_project" / "smoke.py").exists()  # the old layout
    update(project)
    fresh = tmp_path / "fresh"
    copier.run_copy(
        str(layout_repo), str(fresh), data=answers, vcs_ref="v0.2.0", defaults=True, unsafe=True, quiet=True
    )
    assert _tree(project) == _tree(fresh)
    assert sorted(p.name for p in (project / "src" / "demo_project").iterdir()) == ["__init__.py"]


def test_an_old_tool_the_user_edited_is_kept_and_said_so(layout_repo, tmp_path, capfd):
    project = new_project(layout_repo, tmp_path / "project")
    smoke = project / "src" / "demo_project" / "smoke.py"
    smoke.write_text(smoke.read_text() + "\n# our own check\n")
    git(project, "commit", "-q", "-am", "Our check")
    update(project)
    assert smoke.read_text().endswith("# our own check\n")
    assert not (project / "src" / "demo_project" / "hardware.py").exists()  # not edited: gone
    assert (project / "tools" / "torch_smoke.py").exists()
    said = capfd.readouterr().err
    assert "Kept src/demo_project/smoke.py: the template no longer writes it" in said
    assert "hardware.py" not in said


# --- answers survive an update to another torch (issue 22) ---------------------------------

CARRIED = {
    "a ROCm project keeps ROCm": (
        {"torch_version": "2.9", "backends": ["rocm6.4"], "platforms": ["linux-x86_64"]},
        {"backends": ["rocm7.14"]},
        "backends: ['rocm6.4'] -> ['rocm7.14']",
    ),
    "extras keep their kinds and cpu": (
        {
            "torch_version": "2.9",
            "backend_selection": "extra",
            "backends": ["cu129", "rocm6.3", "cpu"],
            "platforms": ["linux-x86_64", "macos-arm64"],
        },
        {"backends": ["cu126", "rocm7.14", "cpu"]},
        "backends: ['cu129', 'rocm6.3', 'cpu'] -> ['cu126', 'rocm7.14', 'cpu']",
    ),
    "platforms that still have wheels stay": (
        {
            "torch_version": "2.9",
            "python_version": "3.12",
            "backends": ["cpu"],
            "platforms": ["linux-x86_64", "windows-arm64"],
        },
        {"platforms": ["linux-x86_64"]},
        "platforms: ['linux-x86_64', 'windows-arm64'] -> ['linux-x86_64']",
    ),
    "a free-threaded Python stays free-threaded": (
        {
            "torch_version": "2.9",
            "python_version": "3.13t",
            "backends": ["cpu"],
            "platforms": ["linux-x86_64"],
            "torch_libraries": [],
        },
        {"python_version": "3.14t"},
        "python_version: 3.13t -> 3.14t",
    ),
}


@pytest.mark.parametrize(("start", "after", "said"), CARRIED.values(), ids=CARRIED.keys())
def test_an_update_to_another_torch_keeps_each_answer_or_its_nearest_and_says_so(
    template_repo, tmp_path, capfd, start, after, said
):
    project = new_project(template_repo, tmp_path / "project", **{"torch_libraries": [], **start})
    capfd.readouterr()
    update(project, torch_version="2.14")
    answers = yaml.safe_load((project / ".copier-answers.yml").read_text())
    assert {key: answers[key] for key in after} == after
    assert answers["torch_version"] == "2.14"
    for key in set(start) - set(after) - {"torch_version"}:
        assert answers[key] == start[key], key  # still valid: kept
    err = capfd.readouterr().err
    assert f"Changed to fit torch 2.14: {said}" in err, err


def test_an_update_with_no_answer_of_the_kind_left_refuses_and_touches_nothing(template_repo, tmp_path):
    # torch 2.15 has no ROCm build: the project must say which build it wants.
    project = new_project(
        template_repo,
        tmp_path / "project",
        torch_version="2.9",
        backends=["rocm6.4"],
        platforms=["linux-x86_64"],
    )
    before = _tree(project)
    with pytest.raises(
        ValueError, match=r"'backends': 'rocm6.4' is not in \['cu132', 'cu130', 'xpu', 'cpu'\]"
    ):
        update(project, torch_version="2.15")
    assert _tree(project) == before
    assert git(project, "status", "--porcelain") == ""


@pytest.mark.network
def test_an_update_locks_once_after_merging_and_leaves_a_fresh_uv_lock(
    template_repo, tmp_path, catalogue_index, monkeypatch, capfd
):
    """Copier's tasks on, uv on PATH, the stand-in index: the copy locks; the update locks once,
    in the project, after the merge, so uv.lock is regenerated, never merged (issue 22, 2)."""
    from plumbum import local

    from uv_helpers import UV, uv, uv_environment

    env = {
        **uv_environment(tmp_path / "uv-cache"),
        "UV_PYTHON": sys.executable,
        "PATH": f"{Path(UV).parent}{os.pathsep}{os.environ['PATH']}",
    }
    answers = {
        **START,
        "torch_version": "2.12",
        "backends": ["cu130"],
        "platforms": ["linux-x86_64", "macos-arm64"],
        "python_version": "3.11",
        "pytorch_index_url": catalogue_index,
    }
    project = tmp_path / "project"
    # Copier runs its tasks and migrations with plumbum's copy of the environment (conftest.py).
    with local.env(**env):
        del local.env["UV_OFFLINE"]
        monkeypatch.delenv("UV_OFFLINE")
        copier.run_copy(
            str(template_repo), str(project), data=answers, vcs_ref="v0.1.0", defaults=True, unsafe=True
        )
        assert (project / "uv.lock").exists(), capfd.readouterr().err
        git(project, "init", "-q", "-b", "main")
        git(project, "add", "-A")
        git(project, "commit", "-q", "-m", "start, locked")
        capfd.readouterr()
        copier.run_update(
            str(project),
            data={"backends": ["cu132"]},
            vcs_ref="v0.2.0",
            defaults=True,
            overwrite=True,
            unsafe=True,
        )
    err = capfd.readouterr().err
    assert err.count("Locking the project") == 1, err
    text = (project / "uv.lock").read_text()
    assert "<<<<<<<" not in text and "+cu132" in text and "+cu130" not in text
    assert "UU" not in git(project, "status", "--porcelain")
    assert uv(["lock", "--check", "--python", sys.executable], project, env).returncode == 0


# --- the weekly check for a newer template release -----------------------------------------


def run_template_check(project: Path, bin_dir: Path) -> subprocess.CompletedProcess:
    """The workflow's check step, as the runner runs it (bash -e), with a `uvx` that runs this
    environment's Copier once it has checked that the version the step asks for is this one."""
    workflow = yaml.safe_load((project / ".github" / "workflows" / "template-update.yml").read_text())
    (step,) = [s for s in workflow["jobs"]["check-update"]["steps"] if "run" in s]
    bin_dir.mkdir(exist_ok=True)
    uvx = bin_dir / "uvx"
    uvx.write_text(
        f"""#!{sys.executable}
import subprocess, sys
from importlib.metadata import version
from packaging.requirements import Requirement
assert sys.argv[1] == "--from" and sys.argv[3] == "copier", sys.argv
wanted = Requirement(sys.argv[2])
assert wanted.name == "copier" and wanted.specifier.contains(version("copier")), wanted
sys.exit(subprocess.run([{str(Path(sys.executable).parent / "copier")!r}, *sys.argv[4:]]).returncode)
"""
    )
    uvx.chmod(0o755)
    env = {**os.environ, **step["env"], "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}"}
    return subprocess.run(
        ["bash", "-e", "-c", step["run"]], cwd=project, env=env, capture_output=True, text=True
    )


def test_the_weekly_workflow_fails_with_the_update_command_when_a_release_is_out(template_repo, tmp_path):
    project = new_project(template_repo, tmp_path / "project", ci="github")
    result = run_template_check(project, tmp_path / "bin")
    assert result.returncode == 2, result.stdout + result.stderr
    error = "::error title=Template update available::A newer release of the template is out."
    assert error in result.stdout
    assert "uvx --with copier-template-extensions copier update --trust --defaults" in result.stdout

    update(project)  # to v0.2.0, the newest release: nothing to say
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "update")
    result = run_template_check(project, tmp_path / "bin")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == "The project is on its template's newest release.\n"


def test_the_weekly_workflow_counts_commits_of_an_untagged_template_and_says_when_it_cannot_check(
    tmp_path,
):
    repo = _snapshot_template(tmp_path / "template")
    _commit_and_tag(repo, None)
    project = new_project(repo, tmp_path / "project", ref=None, ci="github")
    assert run_template_check(project, tmp_path / "bin").returncode == 0
    git(repo, "commit", "-q", "--allow-empty", "-m", "a fix")
    assert run_template_check(project, tmp_path / "bin").returncode == 2  # a commit is a release

    repo.rename(tmp_path / "moved")  # the template is no longer where the answers say
    result = run_template_check(project, tmp_path / "bin")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "::error title=Template check failed::" in result.stdout
    assert "_src_path) must be a git repository this job can clone" in result.stdout
    readme = " ".join((project / "README.md").read_text().split())
    assert "`.github/workflows/template-update.yml` runs `copier check-update`" in readme
    assert "without release tags every new commit counts as a release" in readme
