"""`copier copy --defaults` time of this template against a one-file Copier template.

    uv run --group test python benchmarks/render.py [--runs 5]

Both templates are git repositories, as the one `copier copy gh:...` clones, so Copier clones
each before it renders; both are rendered by the same Copier command line with `--skip-tasks`
(no network), alternating, and the median times are compared. Goal: a ratio of at most 1.5,
i.e. the extensions, the data and the files cost little beside Copier's own start-up, clone
and rendering.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
COPIER = [sys.executable, "-m", "copier"]

from template_files import copy_template  # noqa: E402


def one_file_template(directory: Path) -> Path:
    directory.mkdir()
    (directory / "copier.yml").write_text(
        "project_name:\n  type: str\n  default: my-project\n  help: Project name\n"
    )
    (directory / "README.md.jinja").write_text("# {{ project_name }}\n")
    return directory


def git_repository(directory: Path) -> Path:
    """The directory as a git repository with one commit, as a template's clone is."""
    for command in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-q", "-m", "template"]):
        subprocess.run(
            ["git", "-c", "user.name=bench", "-c", "user.email=bench@example.org", *command],
            cwd=directory,
            check=True,
            capture_output=True,
        )
    return directory


def timed_copy(template: Path, destination: Path) -> float:
    started = time.perf_counter()
    subprocess.run(
        [
            *COPIER,
            "copy",
            "--trust",
            "--defaults",
            "--quiet",
            "--skip-tasks",
            str(template),
            str(destination),
        ],
        check=True,
        capture_output=True,
    )
    elapsed = time.perf_counter() - started
    shutil.rmtree(destination)
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    with tempfile.TemporaryDirectory() as scratch_name:
        scratch = Path(scratch_name)
        templates = {
            "this": git_repository(copy_template(scratch / "this")),
            "one-file": git_repository(one_file_template(scratch / "one")),
        }
        times: dict[str, list[float]] = {name: [] for name in templates}
        timed_copy(templates["this"], scratch / "warm-up")
        for run in range(runs):
            order = list(templates) if run % 2 == 0 else list(reversed(templates))
            for name in order:
                times[name].append(timed_copy(templates[name], scratch / f"out-{name}"))
    medians = {name: statistics.median(values) for name, values in times.items()}
    for name, median in medians.items():
        print(f"{name:>8}: median copy {median:.3f} s over {runs} runs")
    print(f"ratio this/one-file: {medians['this'] / medians['one-file']:.2f} (goal: <= 1.50)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
