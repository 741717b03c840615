"""How long the rendered `tools/pick_backend.py` takes, against a bare Python start.

    uv run --group test python benchmarks/pick.py [--runs 10]

Renders one extra-mode project (every backend of the newest torch), puts a fake `nvidia-smi`
(an RTX 5090 on driver 580) first on PATH, and runs the picker and `python -c pass` alternately.
Goal: the picker well under a second; the ratio shows what detection costs beyond the
interpreter's start.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

import copier  # noqa: E402

from helpers import answers_for, tool, torch_plan  # noqa: E402
from template_files import copy_template  # noqa: E402


def timed(command: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, env=env, check=True, capture_output=True)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        scratch = Path(scratch)
        template = copy_template(scratch / "template")
        minor = torch_plan.torch_versions()[0]
        answers = answers_for(
            torch_version=minor, backend_selection="extra", backends=torch_plan.backend_choices(minor)
        )
        project = scratch / "project"
        copier.run_copy(
            str(template), project, data=answers, defaults=True, unsafe=True, quiet=True, skip_tasks=True
        )
        tool(scratch / "bin", "nvidia-smi", "NVIDIA GeForce RTX 5090, 12.0, 580.65.06\n")
        env = {**os.environ, "PATH": f"{scratch / 'bin'}{os.pathsep}{os.environ['PATH']}"}
        picker, bare = [], []
        for _ in range(args.runs):
            picker.append(timed([sys.executable, str(project / "tools" / "pick_backend.py")], env))
            bare.append(timed([sys.executable, "-c", "pass"], env))
    pick, base = statistics.median(picker), statistics.median(bare)
    print(f"pick_backend.py: {pick * 1000:.0f} ms (median of {args.runs})")
    print(f"python -c pass:  {base * 1000:.0f} ms")
    print(f"ratio:           {pick / base:.2f}")


if __name__ == "__main__":
    main()
