"""After `copier copy` / `copier update`: lock the project if uv is on PATH.

Skips quietly without uv and never fails the copy: a lock that cannot be made now (no
network, an index that needs credentials) is reported with the command to run later.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path


def main() -> int:
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
        lines = result.stderr.strip().splitlines() or ["(no output)"]
        reason = next((line for line in lines if line.startswith("error:")), lines[-1])
        later = "Run `uv lock` once the indexes are reachable."
        if "No interpreter found" in reason:  # uv could not download the project's Python
            python = Path(".python-version").read_text().strip() if Path(".python-version").exists() else ""
            later = f"Run `uv python install {python}` and `uv lock` once uv can download it."
        print(f"uv lock did not succeed: {reason}\n{later}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
