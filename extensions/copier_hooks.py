"""The Jinja side of the template: globals and filters for copier.yml, the plan for the files.

Loaded by Copier through copier-template-extensions (see `_jinja_extensions`); all decisions
live in torch_plan.py, this file only exposes them.
"""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path

from copier_template_extensions import ContextHook
from jinja2 import pass_context
from jinja2.ext import Extension


def _load_torch_plan():
    """torch_plan (and the data it imports), from this folder, afresh.

    Copier loads this file by path, and `copier update` loads two versions of the template in
    one process: the folder is imported as a package of its own under a private name, with
    whatever an earlier version left under that name dropped first.
    """
    name = "_uv_torch_template"
    for loaded in [m for m in sys.modules if m == name or m.startswith(f"{name}.")]:
        del sys.modules[loaded]
    here = Path(__file__).parent
    spec = importlib.util.spec_from_file_location(
        name, here / "__init__.py", submodule_search_locations=[str(here)]
    )
    package = importlib.util.module_from_spec(spec)
    sys.modules[name] = package
    spec.loader.exec_module(package)
    return importlib.import_module(f"{name}.torch_plan")


torch_plan = _load_torch_plan()

# The functions of torch_plan that copier.yml calls as validators.
VALIDATORS = (
    "check_project_name",
    "check_package_name",
    "check_one_line",
    "check_author_name",
    "check_author_email",
    "check_python",
    "check_backends",
    "check_platforms",
    "check_libraries",
    "check_index_url",
    "check_deploy",
)

ANSWERS = (
    "torch_version",
    "python_version",
    "backend_selection",
    "backends",
    "platforms",
    "torch_libraries",
    "pytorch_index_url",
)

_TOML_ESCAPES = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r"}


def toml_str(value) -> str:
    """A TOML basic string; non-ASCII stays as it is, control characters are escaped."""

    def escape(char: str) -> str:
        if char in _TOML_ESCAPES:
            return _TOML_ESCAPES[char]
        if ord(char) < 0x20 or ord(char) == 0x7F:
            return f"\\u{ord(char):04X}"
        return char

    return '"' + "".join(escape(c) for c in str(value)) + '"'


_MD_INLINE = re.compile(r"([\\`*_\[\]<>&|~])")
_MD_BLOCK_START = re.compile(r"^([#+\-=])")


def md_escape(value) -> str:
    """One line of text that Markdown shows exactly as written: inline syntax is backslash-
    escaped, and so is a block marker at the start (an ordered list's number cannot be, so its
    `.` or `)` is). Spaces and tabs at the edges are dropped, as Markdown drops them; other
    Unicode spaces there, which Markdown would drop too, become character references."""
    text = str(value).strip(" \t")
    core = text.strip()
    lead, trail = text[: len(text) - len(text.lstrip())], text[len(text.rstrip()) :] if core else ""
    core = _MD_INLINE.sub(r"\\\1", core)
    core = _MD_BLOCK_START.sub(r"\\\1", core)
    core = re.sub(r"^(\d+)([.)])", r"\1\\\2", core)
    return _references(lead) + core + _references(trail)


def _references(text: str) -> str:
    return "".join(f"&#x{ord(char):X};" for char in text)


def choices_yaml(values: dict | list) -> str:
    """Choices for copier.yml; JSON is YAML, and Copier parses a templated `choices` string."""
    import json

    return json.dumps(values)


def json_document(value, indent: int = 0, used: int = 0, width: int = 100) -> str:
    """JSON laid out for a reader: an object one key a line; a list of plain values on the line
    of its key where it fits in `width` (`used` columns precede it there), else packed onto as
    few lines as fit; non-ASCII text kept as it is."""
    import json

    pad, inner = " " * indent, " " * (indent + 2)
    if isinstance(value, dict) and value:
        items = []
        for key, item in value.items():
            prefix = f"{inner}{json.dumps(str(key), ensure_ascii=False)}: "
            items.append(prefix + json_document(item, indent + 2, len(prefix), width))
        return "{\n" + ",\n".join(items) + f"\n{pad}}}"
    if isinstance(value, (list, tuple)) and value:
        if any(isinstance(item, (dict, list, tuple)) for item in value):
            items = [inner + json_document(item, indent + 2, len(inner), width) for item in value]
            return "[\n" + ",\n".join(items) + f"\n{pad}]"
        words = [json.dumps(item, ensure_ascii=False) for item in value]
        if max(used, indent) + len(", ".join(words)) + 3 <= width:
            return "[" + ", ".join(words) + "]"
        lines, line = [], inner
        for word in words:
            if line != inner and len(line) + len(word) + 2 > width:
                lines.append(line.rstrip())
                line = inner
            line += word + ", "
        lines.append(line.rstrip().rstrip(","))
        return "[\n" + "\n".join(lines) + f"\n{pad}]"
    return json.dumps(value, ensure_ascii=False)


_SAID: set[str] = set()


@pass_context
def carried_over(context, name: str, *answers):
    """The default of `name` for this torch: the project's previous answer, moved to the
    nearest valid value where it no longer is one (torch_plan.carried_*), saying so once."""
    import sys

    import yaml

    conf = context.get("_copier_conf") or {}
    path = Path(str(conf["dst_path"])) / str(conf["answers_file"]) if conf else None
    try:
        previous = (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get(name) if path else None
    except (OSError, yaml.YAMLError):
        previous = None
    carry = {
        "python_version": torch_plan.carried_python,
        "backends": torch_plan.carried_backends,
        "platforms": torch_plan.carried_platforms,
        "torch_libraries": torch_plan.carried_libraries,
    }[name]
    value, why = carry(*answers, previous)
    line = f"{name}: {previous} -> {value} ({why})"
    if why and line not in _SAID:
        _SAID.add(line)
        print(f"Changed to fit torch {answers[0]}: {line}", file=sys.stderr)
    return value


def is_relative_source(src_path) -> bool:
    """A template source that `copier update`, run from the project, cannot find again."""
    text = str(src_path or "")
    if re.match(r"^([a-z][a-z0-9+.-]*://|gh:|gl:|git@|~)", text, re.IGNORECASE):
        return False
    return not (text.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:[\\/]", text))


class TorchTemplateExtension(Extension):
    def __init__(self, environment):
        super().__init__(environment)
        plan = torch_plan
        environment.globals.update(
            torch_versions=plan.torch_versions,
            default_torch_version=plan.default_torch_version,
            torch_latest=lambda v: plan.release(v).latest,
            python_choices=plan.python_choices,
            default_python=plan.default_python,
            backend_choices=lambda v: {plan.backend_label(b, v): b for b in plan.backend_choices(v)},
            default_backends=plan.default_backends,
            platform_choices=lambda torch_version, python_version: {
                f"{key}: {p.label}": {
                    "value": key,
                    "validator": plan.platform_unavailable(torch_version, python_version, key),
                }
                for key, p in plan.matrix.PLATFORMS.items()
            },
            default_platforms=plan.default_platforms,
            library_choices=lambda v, platforms=None, python=None: {
                f"{lib}: {facts.summary}": {
                    "value": lib,
                    "validator": plan.library_problem(v, lib, platforms, python),
                }
                for lib, facts in plan.matrix.LIBRARIES.items()
            },
            default_libraries=plan.default_libraries,
            library_record=plan.matrix.LIBRARIES.__getitem__,
            library_pairing=plan.pairing,
            package_name_for=plan.package_name_for,
            backend_label=plan.backend_label,
            update_examples=plan.update_examples,
            update_command=plan.UPDATE,
            platform_label=lambda key: plan.matrix.PLATFORMS[key].label,
            github_runner=plan.GITHUB_RUNNERS.get,
            index_env_prefix=plan.index_env_prefix,
            uv_minor=plan.UV_MINOR,
            is_relative_source=is_relative_source,
            carried_over=carried_over,
            project_data=plan.project_data,
            library_facts=plan.library_facts,
            cuda_runtime_packages=plan.matrix.CUDA_RUNTIME_PACKAGES,
            # The validators of copier.yml: each returns "" or the message for the user.
            **{name: getattr(plan, name) for name in VALIDATORS},
        )
        environment.filters.update(
            toml_str=toml_str, md_escape=md_escape, choices_yaml=choices_yaml, json_document=json_document
        )


class PlanHook(ContextHook):
    """Puts `plan` (torch_plan.Plan) into the context of every file once all answers exist."""

    def hook(self, context):
        if str(context.get("_copier_phase")) == "prompt":
            return
        missing = [name for name in ANSWERS if name not in context]
        if missing:
            # Files are rendered only with every answer; elsewhere (a migration, the message
            # before the answers exist) nothing reads the plan.
            if str(context.get("_copier_phase")) == "render":
                raise KeyError(f"the plan needs the answers {', '.join(missing)}, which Copier did not give")
            return
        context["plan"] = torch_plan.make_plan(
            torch_version=context["torch_version"],
            python_version=context["python_version"],
            backend_selection=context["backend_selection"],
            backends=context["backends"],
            platforms=context["platforms"],
            torch_libraries=context["torch_libraries"],
            pytorch_index_url=context["pytorch_index_url"],
        )
        if context.get("deploy"):
            context["deploy_target"] = torch_plan.deploy_target(context["plan"])
