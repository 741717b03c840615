"""Lock the project if uv is on PATH: after `copier copy` (copier.yml `_tasks`) and, once, after
`copier update` has merged (extensions/after_update.py). uv.lock is regenerated, never merged.

Skips quietly without uv and never fails the copy: a lock that cannot be made now (no network,
an index that needs credentials, a Python uv cannot find) is reported with uv's own reason and
what to do about it.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

NETWORK = re.compile(
    r"dns error|error sending request|Connection refused|timed out|offline|Could not connect", re.I
)


def reason(stderr: str) -> str:
    """uv's error and the `cause:` lines under it, as uv printed them; hints left out."""
    lines = stderr.strip().splitlines() or ["(no output)"]
    start = next((i for i, line in enumerate(lines) if line.startswith("error:")), len(lines) - 1)
    block = []
    for line in lines[start:]:
        if block and (line.startswith("hint:") or not line.strip()):
            break
        block.append(line)
    return "\n".join(block)


PYTHON = re.compile(r"No interpreter found|install cpython|python-build-standalone|download Python", re.I)


def advice(said: str) -> str:
    if PYTHON.search(said):  # uv could not find or download the project's Python
        python = Path(".python-version").read_text().strip() if Path(".python-version").exists() else ""
        return f"Run `uv python install {python}` where uv can download it (or install it), then `uv lock`."
    if NETWORK.search(said):
        return "Run `uv lock` once the indexes are reachable."
    return "Fix what uv says above, then run `uv lock`."


def lock() -> int:
    uv = shutil.which("uv")
    if uv is None:
        return 0
    print("Locking the project for every platform it covers (uv lock)...", file=sys.stderr)
    try:
        result = subprocess.run([uv, "lock"], capture_output=True, text=True, timeout=900)
    except (OSError, subprocess.TimeoutExpired) as error:
        print(f"uv lock did not finish ({error}); run `uv lock` yourself.", file=sys.stderr)
        return 0
    if result.returncode != 0:
        said = reason(result.stderr)
        print(f"uv lock did not succeed:\n{said}\n{advice(said)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(lock())
