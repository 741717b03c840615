"""What extensions/torch_plan.py answers, word for word, for a table of answers good and bad:
each validator's message (what a user reads when Copier refuses an answer), each answer carried
to another torch with its reason, labels, pins, names and markers. The table's results are
tests/data/golden/plan-answers.txt (`UPDATE_GOLDEN=1` rewrites it; review the diff)."""

from __future__ import annotations

import json
import shlex

from helpers import answers_for, assert_golden, plan_for, torch_plan

LONG = "a" * 101
CALLS = [
    # names
    ("check_project_name", "my-torch-project"),
    ("check_project_name", "My Project"),
    ("check_project_name", "-leading-dash"),
    ("check_project_name", LONG),
    ("check_project_name", ""),
    ("package_name_for", "My.Project-2"),
    ("package_name_for", "2fast"),
    ("check_package_name", "my_project"),
    ("check_package_name", "class"),
    ("check_package_name", "torch"),
    ("check_package_name", "1abc"),
    ("check_package_name", "Über"),
    ("check_package_name", LONG),
    ("check_one_line", "two\nlines", "description"),
    ("check_one_line", "tab\tinside", "description"),
    ("check_one_line", "fine, with ünïcode", "description"),
    ("check_author_name", "Ada\x07Lovelace"),
    ("check_author_name", "Ada Lovelace"),
    ("check_author_email", ""),
    ("check_author_email", "ada@example.org"),
    ("check_author_email", "not an email"),
    ("check_author_email", "two@@example.org"),
    # torch, Python, backends, platforms, libraries
    ("check_python", "2.9", "3.13"),
    ("check_python", "2.9", "3.8"),
    ("check_python", "2.9", "3.14t"),
    ("check_python", "2.14", "3.14t"),
    ("check_backends", "2.9", "platform", ["cu128"]),
    ("check_backends", "2.9", "platform", ["cu128", "rocm6.4"]),
    ("check_backends", "2.9", "platform", []),
    ("check_backends", "2.9", "extra", ["cu999", "cpu"]),
    ("check_backends", "2.9", "extra", ["cpu"]),
    ("check_backends", "2.9", "platform", ["xpu"], ["macos-arm64"]),
    ("check_backends", "2.9", "platform", "cu128"),
    ("check_platforms", []),
    ("check_platforms", ["solaris-sparc", "linux-x86_64"]),
    ("check_platforms", ["windows-arm64"], "2.14"),
    ("check_platforms", ["windows-arm64"], "2.9", "3.14"),
    ("check_platforms", ["linux-x86_64", "macos-arm64"], "2.9", "3.13t"),
    ("platform_unavailable", "2.4", "3.13", "macos-arm64"),
    ("check_libraries", "2.9", ["torchvision", "torchtext"]),
    ("check_libraries", "2.4", ["torchcodec"]),
    ("check_libraries", "2.9", ["torchcodec"], "3.14t", ["windows-x86_64"]),
    ("check_libraries", "2.9", ["torchao"], "3.13", ["macos-arm64"]),
    ("library_unavailable", "2.4", ["torchao"]),
    ("library_problem", "2.9", "torchao", ["linux-aarch64"], "3.13"),
    ("check_index_url", "https://download.pytorch.org/whl"),
    ("check_index_url", "http://mirror.example.org/whl"),
    ("check_index_url", "https://user:secret@mirror.example.org/whl"),
    ("check_index_url", "ftp://mirror.example.org/whl"),
    ("check_index_url", "http://localhost:8080/whl"),
    ("check_index_url", "http://127.0.0.1/whl"),
    ("check_index_url", "https://mirror.example.org/whl?token=1"),
    ("check_index_url", ""),
    ("check_choice", "gitlab", ["github", "none"], "ci"),
    ("check_choice", "github", ["github", "none"], "ci"),
    ("check_deploy", ["kubernetes", "docker"]),
    ("check_deploy", ["docker"], ["macos-arm64", "windows-x86_64"]),
    ("check_deploy", ["docker", "slurm"], ["linux-aarch64"]),
    # answers carried to another torch
    ("carried_python", "2.14", "3.9"),
    ("carried_python", "2.14", "3.12"),
    ("carried_python", "2.14", "3.14t"),
    ("carried_python", "2.4", "3.13t"),
    ("carried_python", "2.14", None),
    ("carried_backends", "2.14", "platform", ["rocm6.4"]),
    ("carried_backends", "2.14", "extra", ["cu129", "rocm6.3", "cpu"]),
    ("carried_backends", "2.9", "platform", ["cu118"]),
    ("carried_backends", "2.9", "extra", ["cu128", "xpu"]),
    ("carried_backends", "2.14", "platform", None),
    ("carried_platforms", "2.14", "3.13", ["linux-x86_64", "windows-arm64"]),
    ("carried_platforms", "2.9", "3.13", ["linux-x86_64", "macos-arm64"]),
    ("carried_platforms", "2.14", "3.13", None),
    ("carried_libraries", "2.4", "3.12", ["linux-x86_64"], ["torchvision", "torchcodec", "torchao"]),
    ("carried_libraries", "2.14", "3.13", ["linux-x86_64"], ["torchvision", "torchaudio"]),
    ("carried_libraries", "2.14", "3.13", ["linux-x86_64"], None),
    # labels, pins, names, markers
    ("backend_label", "cpu"),
    ("backend_label", "cpu", None, "macos-arm64"),
    ("backend_label", "cpu", None, "linux-x86_64"),
    ("backend_label", "cu132", "2.15"),
    ("backend_label", "cu118"),
    ("backend_label", "xpu"),
    ("backend_label", "rocm7.14", "2.14", "linux-x86_64"),
    ("cuda_version", "cu118"),
    ("extra_name", "rocm6.4"),
    ("extra_name", "cu128"),
    ("index_name", "rocm6.2.4"),
    ("index_url", "https://mirror.example.org/whl/", "cu128"),
    ("index_env_prefix", "pytorch-rocm6.2.4"),
    ("platform_marker", "windows-arm64"),
    ("platform_marker", "linux-aarch64"),
    ("torch_pin", "2.9", ["torchao"]),
    ("torch_pin", "2.14", []),
    ("library_pin", "2.9", "torchvision"),
    ("library_pin", "2.9", "torchao"),
    ("_requires_python", "2.9", "3.13t", ["torchvision"]),
    ("_requires_python", "2.14", "3.12", ["torchvision"]),
    ("macos_minimum", "2.11", "3.12", ["torchaudio"]),
    ("macos_minimum", "2.9", "3.13", []),
    ("glibc_minimum", "2.9", [], ["linux-aarch64"]),
    ("glibc_minimum", "2.9", [], ["macos-arm64"]),
    ("default_backends", "2.8"),
    ("default_python", "2.4"),
    ("python_choices", "2.12"),
    ("wheel_platforms", "2.9", "cu128"),
    ("library_platforms", "2.9", "torchcodec"),
    ("library_pythons", "2.9", "torchao"),
    (
        "library_route",
        "torchcodec",
        {"linux-x86_64": "cu128", "linux-aarch64": "cu128", "macos-arm64": "cpu"},
    ),
    ("library_advice", "2.9", "torchaudio", ["torchaudio"]),
    ("library_advice", "2.9", "torchaudio", ["torchaudio", "torchcodec"]),
    ("chosen_libraries", ["torchcodec", "torchvision"]),
    ("_listing", ["a"]),
    ("_listing", ["a", "b", "c"]),
]


# Functions of a whole plan, for a few projects.
PLANS = {
    "defaults": {},
    "2.9 extra cpu/cu128/rocm6.4, Linux only": {
        "torch_version": "2.9",
        "backend_selection": "extra",
        "backends": ["cpu", "cu128", "rocm6.4"],
        "platforms": ["linux-x86_64", "linux-aarch64"],
        "torch_libraries": ["torchvision", "torchaudio"],
    },
    "2.7 cu118 on x86_64 and aarch64, every platform taken": {
        "torch_version": "2.7",
        "python_version": "3.12",
        "backends": ["cu118"],
        "platforms": ["linux-x86_64", "linux-aarch64", "macos-arm64", "windows-x86_64", "windows-arm64"],
        "torch_libraries": [],
    },
    "2.12 xpu with torchao": {"torch_version": "2.12", "backends": ["xpu"], "torch_libraries": ["torchao"]},
}


def call(name: str, *args) -> str:
    try:
        result = getattr(torch_plan, name)(*args)
    except Exception as error:  # noqa: BLE001 - what it raises is part of what it answers
        result = f"raises {type(error).__name__}: {error}"
    return f"{name}{args!r}\n    -> {result!r}"


def test_every_answer_in_the_table_gets_the_answer_it_got_when_reviewed():
    assert_golden("plan-answers.txt", "\n".join(call(name, *args) for name, *args in CALLS) + "\n")


def test_what_each_plan_offers_to_update_to_and_deploys_and_writes_for_the_tools():
    lines = []
    for what, answers in PLANS.items():
        plan = plan_for(**answers)
        lines.append(f"--- {what}")
        lines.append(f"update_examples: {torch_plan.update_examples(plan)!r}")
        lines.append(f"deploy_target: {torch_plan.deploy_target(plan)!r}")
        lines.append(f"sync_command: {torch_plan.sync_command(plan)!r}")
        data = torch_plan.project_data(plan)
        assert data["gpus"] == torch_plan.gpu_facts()  # the same for every project, below
        lines.append("tools/torch_project.json, but its gpus:")
        lines.append(json.dumps({k: v for k, v in data.items() if k != "gpus"}, indent=1, sort_keys=True))
    facts = torch_plan.gpu_facts()
    # The device tables are checked id by id in tests/test_nvidia_devices.py: here, their sizes.
    facts["nvidia_devices"] = {chip: len(ids) for chip, ids in facts["nvidia_devices"].items()}
    facts["intel"] = [{**family, "ids": len(family["ids"])} for family in facts["intel"]]
    lines.append("--- gpus, in every project's tools/torch_project.json")
    lines.append(json.dumps(facts, indent=1, sort_keys=True))
    assert_golden("plan-projects.txt", "\n".join(lines) + "\n")


def test_each_update_example_is_answers_the_template_takes():
    """The README's `copier update --data ...` examples, applied as Copier would (the answers the
    new torch does not take carried to the nearest ones), make a valid plan."""
    for answers in PLANS.values():
        before = answers_for(**answers)
        for _, data in torch_plan.update_examples(plan_for(**answers)):
            after = dict(before)
            for argument in data:
                key, value = shlex.split(argument)[0].split("=", 1)
                after[key] = json.loads(value) if value.startswith("[") else value
            torch = after["torch_version"]
            python, _ = torch_plan.carried_python(torch, after["python_version"])
            backends, _ = torch_plan.carried_backends(torch, after["backend_selection"], after["backends"])
            platforms, _ = torch_plan.carried_platforms(torch, python, after["platforms"])
            libraries, _ = torch_plan.carried_libraries(torch, python, platforms, after["torch_libraries"])
            carried = dict(
                python_version=python, backends=backends, platforms=platforms, torch_libraries=libraries
            )
            plan_for(**{**after, **carried})  # raises InvalidAnswer where an example is not an answer
