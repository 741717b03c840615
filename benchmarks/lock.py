"""Cold-cache `uv lock` time and uv.lock size: the article's scenario as this template renders
it, against the article's own pyproject (shared/SEED.md), on the same local PyTorch-like index.

    uv run --group test python benchmarks/lock.py [--runs 5]

Runs alternate between the projects, each with an empty uv cache, and the medians are
compared. Goal: ratios of at most 1.0 (no slower, no larger), while the rendered project also
limits the lock to the platforms it covers. The rendered project has a dev group (pytest) that
the article's has not, so the like-for-like ratio compares it with the article's pyproject
plus that same group; the plain ratio is printed too. PyPI is reached for the packages the
index does not hold (pytest and its dependencies, the nvidia stand-in of CUDA builds).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

import copier  # noqa: E402

from pytorch_index import IndexServer, LocalIndex, article_pyproject, catalogue_wheels  # noqa: E402
from template_files import copy_template  # noqa: E402
from uv_helpers import lock, uv_environment  # noqa: E402

ARTICLE_ANSWERS = {
    "torch_version": "2.5",
    "python_version": "3.11",
    "backend_selection": "platform",
    "backends": ["cu124"],
    "platforms": ["linux-x86_64", "linux-aarch64", "macos-arm64"],
    "torch_libraries": ["torchvision"],
}


DEV_GROUP = '\n[dependency-groups]\ndev = ["pytest>=8"]\n'


def timed_lock(project: Path, scratch: Path) -> tuple[float, int]:
    (project / "uv.lock").unlink(missing_ok=True)
    cache = Path(tempfile.mkdtemp(dir=scratch, prefix="cache-"))
    started = time.perf_counter()
    lock(project, uv_environment(cache))
    return time.perf_counter() - started, (project / "uv.lock").stat().st_size


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    with tempfile.TemporaryDirectory() as scratch_name:
        scratch = Path(scratch_name)
        index = LocalIndex(scratch / "index", catalogue_wheels())
        index.write()
        with IndexServer(index.root) as server:
            # The working tree's template, as the tests and benchmarks/render.py render it; its
            # lock task is skipped: the timed runs below lock.
            rendered = scratch / "rendered"
            copier.run_copy(
                str(copy_template(scratch / "template")),
                str(rendered),
                data={**ARTICLE_ANSWERS, "pytorch_index_url": server.base_url},
                defaults=True,
                unsafe=True,
                quiet=True,
                skip_tasks=True,
            )
            projects = {"rendered": rendered}
            for name, extra in (("article", ""), ("article+dev", DEV_GROUP)):
                projects[name] = scratch / name
                projects[name].mkdir()
                (projects[name] / "pyproject.toml").write_text(article_pyproject(server.base_url) + extra)
            results: dict[str, list[tuple[float, int]]] = {name: [] for name in projects}
            for run in range(runs):
                order = list(projects) if run % 2 == 0 else list(reversed(projects))
                for name in order:
                    results[name].append(timed_lock(projects[name], scratch))
    medians = {
        name: (statistics.median(t for t, _ in r), statistics.median(s for _, s in r))
        for name, r in results.items()
    }
    for name, (seconds, size) in medians.items():
        print(f"{name:>11}: median lock {seconds:.3f} s, uv.lock {size} bytes ({runs} cold runs)")
    for baseline in ("article+dev", "article"):
        time_ratio = medians["rendered"][0] / medians[baseline][0]
        size_ratio = medians["rendered"][1] / medians[baseline][1]
        print(f"ratio rendered/{baseline}: lock time {time_ratio:.2f}, lock size {size_ratio:.2f}")
    print("goal: <= 1.00 against article+dev (the same dependencies, the article's configuration)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
