"""Carry a project's answers over when a template release renames a question or a value.

Copier runs this before every update (copier.yml `_migrations`), in the project, with the
answers file and the two template versions (PEP 440):

    python answer_migrations.py .copier-answers.yml 0.1.0 0.2.0

A release that renames something adds a `Rename` below (and says so in CHANGELOG.md), so that
`copier update` keeps the project's answer instead of falling back to the new default.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from packaging.version import Version


@dataclass(frozen=True)
class Rename:
    version: str  # the first template version with the new name
    question: str
    new_question: str = ""  # empty: the question keeps its name
    values: dict[str, str] = field(default_factory=dict)  # old value -> new value


RENAMES: list[Rename] = []


def _rename_value(value, values: dict[str, str]):
    if isinstance(value, list):
        return [values.get(v, v) for v in value]
    return values.get(value, value)


def migrate(answers: dict, old: Version, new: Version, renames: list[Rename] = RENAMES) -> dict:
    answers = dict(answers)
    for rename in sorted(renames, key=lambda r: Version(r.version)):
        if not old < Version(rename.version) <= new or rename.question not in answers:
            continue
        value = _rename_value(answers.pop(rename.question), rename.values)
        answers[rename.new_question or rename.question] = value
    return answers


def main(argv: list[str]) -> int:
    path, old, new = Path(argv[0]), Version(argv[1]), Version(argv[2])
    text = path.read_text(encoding="utf-8")
    answers = yaml.safe_load(text)
    migrated = migrate(answers, old, new)
    if migrated != answers:
        header = "".join(line + "\n" for line in text.splitlines() if line.startswith("#"))
        path.write_text(
            header + yaml.safe_dump(migrated, allow_unicode=True, sort_keys=True), encoding="utf-8"
        )
        print(f"Answers carried over to template {new}: {sorted(set(migrated) ^ set(answers))}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
