# /// script
# requires-python = ">=3.9"
# dependencies = []
# ///
"""Which PyTorch build this machine can run, decided before anything is installed.

Extra mode (one extra per build):

    uv sync --extra "$(uv run tools/pick_backend.py)"

prints one extra name on stdout (the newest build that runs here, else cpu where the project
has it) and its reasons on stderr; exits 1 when no extra runs here.

Platform mode (one build per platform):

    uv run tools/pick_backend.py

only checks that this machine's GPU can use the project's build, and says what would fix it
where it cannot (a driver, a reboot, a build the project could add); exit status 0 either way.

PICK_BACKEND=<extra or backend> overrides the choice. Standard library only, Python 3.9+:
`uv run` runs it without installing the project, and so does `python3 tools/pick_backend.py`.

Managed by uv-torch-template: `copier update` replaces this file, the same in every project;
the project's builds are read from tools/torch_project.json.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # torch_hardware, beside this file
import torch_hardware as hardware  # noqa: E402


def say(lines) -> None:
    for line in lines:
        print(f"pick_backend: {line}", file=sys.stderr)


def choose_extra(project, machine, env) -> int:
    here = machine.platform
    extras = project.builds_here(here)
    if not extras:
        say([f"this project's extras cover no build for {here}"])
        return 2
    override = env.get("PICK_BACKEND", "").strip()
    if override:
        named = [e for e in extras if override in (e, extras[e])]
        if not named:
            choices = ", ".join(sorted(extras))
            say([f"PICK_BACKEND={override!r} is none of this project's extras: {choices}"])
            return 2
        fits, why = hardware.can_run(project, extras[named[0]], machine)
        say(hardware.describe(machine))
        warning = "" if fits else f" (warning: {why})"
        say([f"PICK_BACKEND={override} chooses {named[0]}{warning}"])
        print(named[0])
        return 0
    chosen, reasons = hardware.pick(project, extras, machine)
    say(reasons)
    if chosen is None:
        return 1
    print(chosen)
    return 0


def check_platform(project, machine, env) -> int:
    """Whether this machine can use the project's build; advice, never a push to another."""
    here = machine.platform
    backend = env.get("PICK_BACKEND", "").strip() or project.builds_here(here).get("")
    if backend is None:
        say([f"this project's platforms ({', '.join(project.platforms())}) do not include {here}"])
        return 0
    say(hardware.describe(machine))
    say(hardware.platform_advice(project, backend, machine)[1])
    return 0


def main(argv=None, env=None, project_file: Path = hardware.PROJECT_FILE) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", default="/", help="look at another / tree (tests)")
    parser.add_argument("--platform", default="", help="judge as this platform would (tests)")
    args = parser.parse_args(argv)
    env = os.environ if env is None else env
    try:
        project = hardware.load_project(project_file)
    except hardware.ProjectError as error:
        say([str(error)])
        return 2
    machine = hardware.detect(env, args.root, project.gpus, args.platform)
    if project.mode == "extra":
        return choose_extra(project, machine, env)
    return check_platform(project, machine, env)


if __name__ == "__main__":
    sys.exit(main())
