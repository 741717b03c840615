"""After `copier update`, in the project (copier.yml `_migrations`, stage "after").

Copier deletes every file that the old template rendered and the new one does not, whether the
user edited it or not (the tools that moved from `src/<package>/` to `tools/`, a deploy file
whose answer was dropped). An update starts from a clean git tree, so HEAD holds the project as
it was: a file the update deleted whose content at HEAD differs from what the template last
wrote (the commit that last changed the answers file) is the user's work, and is put back.
"""

from __future__ import annotations

import subprocess
import sys


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
    kept = [path for path in deleted if _blob("HEAD", path) != _blob(written, path)]
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
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
