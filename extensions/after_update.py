"""After `copier update` has merged, in the project (copier.yml `_migrations`, stage "after").

1. Copier deletes every file that the old template rendered and the new one does not, whether
   the user edited it or not (the tools that moved from `src/<package>/` to `tools/`, a deploy
   file whose answer was dropped). An update starts from a clean git tree, so HEAD holds the
   project as it was: a file the update deleted whose content at HEAD differs from what the
   template last wrote (the commit that last changed the answers file) is the user's work, and
   is put back. uv.lock is not: it is regenerated.
2. Then the one `uv lock` of the update, on the merged project (lock_project.py): Copier's own
   task runs on copies only, and a lock file is regenerated, never merged.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import lock_project  # noqa: E402


def git(*args: str) -> str:
    return subprocess.run(["git", *args], check=True, capture_output=True, text=True).stdout


def _blob(commit: str, path: str) -> str:
    found = subprocess.run(
        ["git", "rev-parse", "--verify", "--quiet", f"{commit}:{path}"], capture_output=True, text=True
    )
    return found.stdout.strip()


def keep_edited_files(answers_file: str) -> list[str]:
    """Restore the files this update deleted that the user had edited; returns their paths."""
    deleted = git("diff", "--name-only", "--diff-filter=D", "HEAD", "--").splitlines()
    written = git("log", "-1", "--format=%H", "--", answers_file).strip()
    if not deleted or not written:
        return []
    kept = [path for path in deleted if path != "uv.lock" and _blob("HEAD", path) != _blob(written, path)]
    if kept:
        git("checkout", "HEAD", "--", *kept)
    return kept


def main(argv: list[str]) -> int:
    [answers_file] = argv
    try:
        kept = keep_edited_files(answers_file)
    except (OSError, subprocess.CalledProcessError) as error:  # no git history: nothing to keep
        print(f"Could not look for edited files the update removed: {error}", file=sys.stderr)
        return 0
    for path in kept:
        print(
            f"Kept {path}: the template no longer writes it, and you had edited it. "
            "The template's CHANGELOG.md says where its content went; delete it once your "
            "changes live there.",
            file=sys.stderr,
        )
    return lock_project.lock()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
