"""Bad answers are refused before anything is written, with a message naming the valid choices;
free text comes out intact in every file that holds it; rendering is deterministic."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
import unicodedata
from pathlib import Path

import copier
import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from jinja2 import Environment
from markdown_it import MarkdownIt
from plumbum import local

from extensions.copier_hooks import ANSWERS, VALIDATORS, PlanHook, md_escape, toml_str
from helpers import answers_for, torch_plan


def copy(template_copy: Path, destination: Path, **data):
    return copier.run_copy(
        str(template_copy), str(destination), data=data, defaults=True, unsafe=True, quiet=True
    )


def refused(template_copy: Path, tmp_path: Path, **data) -> str:
    destination = tmp_path / "project"
    with pytest.raises(ValueError) as error:
        copy(template_copy, destination, **data)
    assert not destination.exists() or not any(destination.iterdir()), "files were written"
    return str(error.value)


BAD_ANSWERS = [
    # (answers, words the message must hold)
    ({"torch_version": "2.4", "backends": ["cu130"]}, ["cu130", "cu124", "cu121", "cu118", "rocm6.1", "cpu"]),
    ({"torch_version": "2.9", "backends": ["cu128", "cu999"]}, ["cu999", "cu130", "cu128", "xpu"]),
    ({"torch_version": "3.0"}, ["'3.0'", "2.15", "2.4"]),
    ({"platforms": ["linux-riscv64"]}, ["linux-riscv64", "linux-x86_64", "windows-x86_64"]),
    ({"torch_libraries": ["torchtext"]}, ["torchtext", "torchvision", "torchao", "torchcodec"]),
    (
        {"torch_version": "2.7", "torch_libraries": ["torchao"]},
        ["torchao", "2.7", "torchvision", "torchcodec"],
    ),
    ({"torch_version": "2.10", "torch_libraries": ["torchcodec"]}, ["torchcodec 0.10.0", "linux-aarch64"]),
    (
        {"torch_version": "2.15", "python_version": "3.15", "torch_libraries": ["torchcodec"]},
        ["torchcodec", "Python 3.15", "3.14"],
    ),
    ({"torch_version": "2.9", "backends": ["cu128", "cpu"]}, ["exactly one", "backend_selection=extra"]),
    ({"backend_selection": "extra", "backends": []}, ["at least one", "cpu"]),
    ({"platforms": []}, ["at least one platform", "macos-arm64"]),
    (
        {"torch_version": "2.9", "backends": ["rocm6.4"], "platforms": ["macos-arm64"]},
        ["rocm6.4", "linux-x86_64"],
    ),
    ({"torch_version": "2.9", "python_version": "3.9"}, ["'3.9'", "3.10", "3.14"]),
    ({"torch_version": "2.12", "python_version": "3.13t"}, ["'3.13t'", "3.14t"]),
    (
        {
            "torch_version": "2.14",
            "backends": ["cpu"],
            "platforms": ["linux-x86_64", "windows-arm64"],
            "torch_libraries": [],
        },
        ["windows-arm64", "2.14", "2.13", "2.7"],
    ),
    (
        {
            "torch_version": "2.9",
            "python_version": "3.14",
            "backends": ["cpu"],
            "platforms": ["windows-arm64"],
            "torch_libraries": [],
        },
        ["windows-arm64", "3.13, 3.12, 3.11", "not 3.14"],
    ),
    (
        {
            "torch_version": "2.9",
            "python_version": "3.12",
            "backends": ["cpu"],
            "platforms": ["windows-arm64"],
            "torch_libraries": ["torchvision"],
        },
        ["torchvision", "windows-arm64", "leave out"],
    ),
    ({"package_name": "my-package"}, ["not a Python identifier", "my_torch_project"]),
    ({"package_name": "torch"}, ["shadow"]),
    # 256 characters: a file name cannot hold it (issue 22, 3)
    ({"project_name": "p" * 256}, ["256 characters", "at most 100"]),
    ({"project_name": "p", "package_name": "p" * 256}, ["package name has 256 characters"]),
    ({"project_name": "my project"}, ["not a valid distribution name", "my-torch-project"]),
    ({"pytorch_index_url": "ftp://mirror.example/whl"}, ["http(s)", "https://download.pytorch.org/whl"]),
    ({"pytorch_index_url": "http://mirror.example/whl"}, ["https", "localhost"]),
    ({"pytorch_index_url": "https://me:secret@mirror.example/whl"}, ["credentials", "UV_INDEX_"]),
    ({"author_email": "not-an-address"}, ["e-mail"]),
    ({"description": "two\nlines"}, ["one line"]),
    ({"author_name": "Doe, Jane"}, ["comma"]),
    ({"backend_selection": "both"}, ["platform", "extra"]),
    ({"lock_policy": "sometimes"}, ["commit", "ignore"]),
]


@pytest.mark.parametrize("data,words", BAD_ANSWERS, ids=lambda v: str(v)[:60] if isinstance(v, dict) else "")
def test_bad_answer_is_refused_naming_the_valid_choices(template_copy, tmp_path, data, words):
    message = refused(template_copy, tmp_path, **data)
    for word in words:
        assert word in message, (word, message)


def test_the_command_line_refuses_with_the_message_and_an_error_status(template_copy, tmp_path):
    copier_cli = Path(sys.executable).with_name("copier")
    result = subprocess.run(
        [
            str(copier_cli),
            "copy",
            "--trust",
            "--defaults",
            "--quiet",
            "-d",
            "torch_version=2.4",
            "-d",
            'backends=["cu130"]',
            str(template_copy),
            str(tmp_path / "project"),
        ],
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "'cu130' is not in ['cu124', 'cu121', 'cu118', 'rocm6.1', 'cpu']" in result.stderr
    assert not (tmp_path / "project").exists()


def test_command_line_lists_and_versions_are_read_as_text(template_copy, tmp_path):
    copier_cli = Path(sys.executable).with_name("copier")
    subprocess.run(
        [
            str(copier_cli),
            "copy",
            "--trust",
            "--defaults",
            "--quiet",
            "-d",
            "torch_version=2.10",
            "-d",
            "python_version=3.10",
            "-d",
            "backend_selection=extra",
            "-d",
            "backends=[cpu, rocm7.1]",
            str(template_copy),
            str(tmp_path / "project"),
        ],
        check=True,
        capture_output=True,
    )
    answers = yaml.safe_load((tmp_path / "project" / ".copier-answers.yml").read_text())
    assert answers["torch_version"] == "2.10" and answers["python_version"] == "3.10"
    assert answers["backends"] == ["rocm7.1", "cpu"]


# --- free text ----------------------------------------------------------------------------

MARKDOWN = MarkdownIt("commonmark").enable(["table", "strikethrough"])


def markdown_text(line: str) -> str:
    """The text a reader sees for one paragraph of Markdown."""
    tokens = MARKDOWN.parse(line)
    inline = next(t for t in tokens if t.type == "inline")
    return "".join(child.content for child in inline.children if child.type in ("text", "code_inline"))


one_line = st.text().filter(lambda s: torch_plan.check_one_line(s, "x") == "")


@settings(max_examples=400, deadline=None)
@given(st.text())
@example("{{ 7*7 }} {% if x %} \\ \" ' \u00e9\u6f22\U0001f525 \x7f\x1b")
def test_toml_strings_round_trip_exactly(text):
    assert tomllib.loads(f"value = {toml_str(text)}")["value"] == text
    kept = [c for c in text if ord(c) > 0x7F and unicodedata.category(c) != "Cc"]
    assert all(c in toml_str(text) for c in kept)  # non-ASCII stays as it is, not \uXXXX


@settings(max_examples=400, deadline=None)
@given(one_line)
@example("# heading? *bold* _it_ `code` [link](x) <b>html</b> &amp; | a | ~~s~~ \\ 1. 2) - + =")
@example("1986. A fine year")
@example("\u00a0leading no-break space, kept")
def test_markdown_shows_the_text_as_written(text):
    shown = text.strip(" \t")
    if not shown:
        return
    assert markdown_text(md_escape(text)) == shown


FREE_TEXT = dict(
    description=one_line,
    author_name=one_line.filter(lambda s: "," not in s),
    author_email=st.emails().filter(lambda s: torch_plan.check_author_email(s) == ""),
)


# Each render costs about a second: the escaping itself is proven on hundreds of texts above;
# these renders prove that every file holding a free text escapes it, for the texts below and a
# few drawn ones.
@settings(
    max_examples=4,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.filter_too_much],
)
@given(**FREE_TEXT)
@example(
    description='{{ 7*7 }} "quoted" \\back\\slash\\ *not bold* `no code` <b>x</b> '
    "caf\u00e9 \u6f22\u5b57 \U0001f525",
    author_name='Zo\u00eb "Z" O\'Neil {% raw %}',
    author_email="zoe@example.org",
)
@example(description="1. not a list", author_name="", author_email="")
def test_free_text_comes_out_intact_everywhere(
    template_copy, tmp_path_factory, description, author_name, author_email
):
    destination = tmp_path_factory.mktemp("free-text") / "project"
    copy(
        template_copy,
        destination,
        **answers_for(description=description, author_name=author_name, author_email=author_email),
    )
    pyproject = tomllib.loads((destination / "pyproject.toml").read_text(encoding="utf-8"))
    assert pyproject["project"]["description"] == description
    if author_name or author_email:
        [author] = pyproject["project"]["authors"]
        assert author.get("name", "") == author_name and author.get("email", "") == author_email
    answers = yaml.safe_load((destination / ".copier-answers.yml").read_text(encoding="utf-8"))
    assert (answers["description"], answers["author_name"], answers["author_email"]) == (
        description,
        author_name,
        author_email,
    )
    readme = (destination / "README.md").read_text(encoding="utf-8")
    if description.strip(" \t"):
        paragraph = readme.split("\n\n")[1]
        assert markdown_text(paragraph) == description.strip(" \t")


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet=st.characters(categories=["Cc"]), min_size=1))
def test_control_characters_are_refused_in_one_line_fields(text):
    message = torch_plan.check_one_line("a" + text, "description")
    assert message if any(c != "\t" for c in text) else message == ""


# --- determinism and secrets ----------------------------------------------------------------


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("mode", ["platform", "extra"])
def test_rendering_twice_gives_byte_identical_trees(template_copy, tmp_path, mode):
    data = answers_for(
        torch_version="2.9",
        backend_selection=mode,
        backends=["cu128"] if mode == "platform" else ["cpu", "cu128", "rocm6.4", "xpu"],
        torch_libraries=["torchvision", "torchaudio"],
        description="Déjà vu, «twice»",
    )
    copy(template_copy, tmp_path / "one", **data)
    copy(template_copy, tmp_path / "two", **data)
    assert _tree(tmp_path / "one") == _tree(tmp_path / "two")


# What users really hold: credentials for a private mirror, as a URL or in uv's variables.
SECRETS = ("alice-4f2a", "s3cr3t-9b7c", "tok-e81d5a")
CREDENTIAL_URLS = [
    "https://alice-4f2a:s3cr3t-9b7c@mirror.example.org/whl",  # user and password
    "https://tok-e81d5a@mirror.example.org/whl",  # a token as the user (GitHub, GitLab style)
    "https://__token__:tok-e81d5a@mirror.example.org/whl",  # a token as the password
    "https://:tok-e81d5a@mirror.example.org/whl",  # a password alone
    "https://mirror.example.org/whl?token=tok-e81d5a",  # a token in the query
    "https://mirror.example.org/whl#tok-e81d5a",
]


def assert_no_secret_in(tree: Path) -> None:
    files = _tree(tree)
    assert ".copier-answers.yml" in files and "pyproject.toml" in files
    for name, content in files.items():
        for secret in SECRETS:
            assert secret.encode() not in content, (secret, name)


@pytest.mark.parametrize("url", CREDENTIAL_URLS)
def test_credentials_in_the_index_url_are_refused_or_never_written(template_copy, tmp_path, url):
    destination = tmp_path / "project"
    try:
        copy(template_copy, destination, **answers_for(pytorch_index_url=url))
    except ValueError as error:
        assert "credentials" in str(error) or "query or fragment" in str(error), error
        assert not destination.exists() or not any(destination.iterdir()), "files were written"
    else:
        assert_no_secret_in(destination)


def test_credentials_in_the_environment_at_render_time_are_never_written(
    template_copy, tmp_path, monkeypatch
):
    backends = ["cpu", "cu128", "rocm6.4", "xpu"]
    variables = {}
    for backend in backends:  # the variables the rendered README tells users to set
        prefix = torch_plan.index_env_prefix(torch_plan.index_name(backend))
        variables.update({f"{prefix}_USERNAME": SECRETS[0], f"{prefix}_PASSWORD": SECRETS[1]})
    url = f"https://{SECRETS[0]}:{SECRETS[2]}@mirror.example.org/simple"
    variables.update(
        UV_INDEX_URL=url,
        UV_DEFAULT_INDEX=url,
        UV_EXTRA_INDEX_URL=url,
        PIP_INDEX_URL=url,
        UV_INDEX=f"private={url}",
    )
    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    with local.env(**variables):  # the environment Copier's tasks run in (see conftest.py)
        copy(
            template_copy,
            tmp_path / "project",
            **answers_for(
                torch_version="2.9",
                backend_selection="extra",
                backends=backends,
                pytorch_index_url="https://mirror.example.org/whl",
            ),
        )
    assert_no_secret_in(tmp_path / "project")


def test_the_plan_hook_refuses_to_render_without_every_answer():
    hook = PlanHook(Environment())
    answers = {
        "torch_version": "2.9",
        "python_version": "3.12",
        "backend_selection": "platform",
        "backends": ["cpu"],
        "platforms": ["linux-x86_64"],
        "torch_libraries": [],
        "pytorch_index_url": "https://download.pytorch.org/whl",
    }
    assert set(answers) == set(ANSWERS)
    context = {"_copier_phase": "render", **answers}
    hook.hook(context)
    assert context["plan"].backends == ["cpu"]
    with pytest.raises(KeyError, match="torch_libraries"):
        hook.hook({"_copier_phase": "render", **{k: v for k, v in answers.items() if k != "torch_libraries"}})
    outside = {"_copier_phase": "migrate"}
    hook.hook(outside)  # nothing to render there: no plan, no error
    assert "plan" not in outside


def test_copier_yml_calls_only_validators_registered_by_name(template_root):
    called = set(re.findall(r"\b(check_\w+)\(", (template_root / "copier.yml").read_text()))
    assert called == set(VALIDATORS)


def test_a_name_too_long_for_a_file_leaves_an_existing_folder_as_it_was(template_copy, tmp_path):
    """It used to crash with `File name too long` after writing .pre-commit-config.yaml and src/."""
    destination = tmp_path / "project"
    destination.mkdir()
    (destination / "notes.txt").write_text("mine\n")
    with pytest.raises(ValueError, match="at most 100"):
        copy(template_copy, destination, project_name="a" * 256)
    assert [p.name for p in destination.iterdir()] == ["notes.txt"]
