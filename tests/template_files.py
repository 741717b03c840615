"""The files that make up the template, to copy it outside this git checkout."""

from __future__ import annotations

import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def copy_template(target: Path) -> Path:
    """copier.yml, extensions/ and template/ as they are in the working tree, into `target`."""
    target.mkdir(parents=True, exist_ok=True)
    shutil.copy2(ROOT / "copier.yml", target)
    for folder in ("extensions", "template"):
        shutil.copytree(
            ROOT / folder, target / folder, ignore=shutil.ignore_patterns("__pycache__"), dirs_exist_ok=True
        )
    return target
