"""The rendered smoke report's time against a bare `import torch`, on the real CPU torch wheel.

    uv run --group test python benchmarks/smoke.py [--runs 5]

Renders a CPU project for the torch of the wheel that pip's find-links holds, installs it with
uv from a local index serving that wheel, then runs, alternating, `python -c "import torch"` and
`python tools/torch_smoke.py` in the project's environment and compares the median times. Goal: a
ratio of at most 1.1 (the report costs little beyond importing torch).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

import copier  # noqa: E402

from helpers import real_cpu_answers, real_torch_wheel  # noqa: E402
from pytorch_index import IndexServer, LocalIndex  # noqa: E402
from template_files import copy_template  # noqa: E402
from uv_helpers import lock, uv, uv_environment  # noqa: E402


def timed(command: list[str], cwd: Path) -> float:
    started = time.perf_counter()
    subprocess.run(command, cwd=cwd, check=True, capture_output=True)
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    wheel = real_torch_wheel()
    if wheel is None or sys.version_info[:2] != (3, 11):
        print("needs CPython 3.11 and a real CPU torch wheel in pip's find-links; none here")
        return 1
    minor = ".".join(wheel.name.split("-")[1].split(".")[:2])
    with tempfile.TemporaryDirectory() as scratch_name:
        scratch = Path(scratch_name)
        index = LocalIndex(scratch / "index", files={"cpu": [wheel]})
        index.write()
        env = uv_environment(scratch / "uv-cache")
        with IndexServer(index.root) as server:
            project = scratch / "project"
            answers = real_cpu_answers(minor, server.base_url)
            copier.run_copy(
                str(copy_template(scratch / "template")),
                str(project),
                data=answers,
                defaults=True,
                unsafe=True,
                quiet=True,
                skip_tasks=True,
            )
            lock(project, env)
            uv(["sync", "--locked", "--python", sys.executable], project, env)
        python = str(project / ".venv" / "bin" / "python")
        commands = {
            "import torch": [python, "-c", "import torch"],
            "smoke report": [python, "tools/torch_smoke.py"],
        }
        times: dict[str, list[float]] = {name: [] for name in commands}
        for command in commands.values():  # warm the file cache
            timed(command, project)
        for run in range(runs):
            order = list(commands) if run % 2 == 0 else list(reversed(commands))
            for name in order:
                times[name].append(timed(commands[name], project))
    medians = {name: statistics.median(values) for name, values in times.items()}
    for name, median in medians.items():
        print(f"{name:>12}: median {median:.3f} s over {runs} runs")
    ratio = medians["smoke report"] / medians["import torch"]
    print(f"ratio smoke/import: {ratio:.2f} (goal: <= 1.10)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
