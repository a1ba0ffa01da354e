"""Prompt variants and saved templates, in dynamicprompts syntax (https://github.com/adieyal/sd-dynamic-prompts/blob/main/docs/SYNTAX.md).

A saved template goes through two steps.

1. `render_template(template_text, variables)` fills in the template's fields with Jinja2, the template
   language dynamicprompts builds on, in a sandbox:

       {{ product }} on {{ surface | default("a marble table") }}
       {% if mood is defined %}, {{ mood }} mood{% endif %}
       {% for colour in colours %}{{ colour }}{% if not loop.last %} and {% endif %}{% endfor %}
       {{ permutations(["matte", "glossy", "satin"], 2) }}   dynamicprompts' Jinja function

   A variable that is not given is an error, not an empty string (test optional ones with
   `is defined` or give them a `default`). dynamicprompts' `{% prompt %}` blocks
   and its random functions are not offered: variants come from step 2, where they get stable ids.
   Jinja's `{{` starts an expression, so nested variants are written with a space: `{ {a|b}|c}`.

2. `expand(template, variables, limit)` lists the variants, every combination in a fixed order (the
   combinatorial sampler), at most `limit`:

       {a|b|c}            one of a, b, c
       {2$$a|b|c}         two of them, every order ("a,b", "b,a", ...), joined by ","
       {2$$ and $$a|b|c}  the same, joined by " and "
       {1-2$$a|b}         one or two of them
       {0.5::a|b}         weights, which only random sampling reads; every option is listed here
       ${name}            a variable: from `variables`, or set in the template
       ${name:default}    a variable with a default
       ${name={a|b}}      a variable set in the template; each use varies on its own
       ${name=!{a|b}}     set once ("!"): every use repeats the first value

   Values in `variables` are read as the same syntax, so {"surface": "{marble|linen}"} adds variants.
   Wildcards (`__name__`) are not enabled: no wildcard files are read, and a template using one is refused.

Every variant has a `variant_id`: a hash of the template version and the chosen text, so the same
choice keeps its id when a template is expanded again and changes when the template changes.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import jinja2
import pyparsing
from dynamicprompts.commands import Command, VariantOption, WildcardCommand
from dynamicprompts.enums import SamplingMethod
from dynamicprompts.generators.combinatorial import CombinatorialPromptGenerator
from dynamicprompts.jinja_extensions import DYNAMICPROMPTS_FUNCTIONS
from dynamicprompts.parser.parse import parse
from dynamicprompts.sampling_context import SamplingContext
from dynamicprompts.wildcards import WildcardManager
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError

from creatordesk.engine.visuals.prompts.types import TemplateError

MAX_VARIANTS = 200
MAX_TEMPLATE_CHARS = 10_000
MAX_OUTPUT_CHARS = 20_000
# Looping over everything further is either a mistake or a way to keep the server busy.
_MAX_RANGE = 200
_MAX_REPEAT = 1_000
# Stops a template whose variants repeat (e.g. "{a|a|a}" nested deep) from being walked forever.
_MAX_STEPS = 20 * MAX_VARIANTS


@dataclass(frozen=True)
class Variant:
    """One expanded prompt and its stable id."""

    variant_id: str
    text: str

    def as_dict(self) -> dict[str, str]:
        return {"variant_id": self.variant_id, "text": self.text}


def template_version(template: str) -> str:
    """The version a template has when none is given: a hash of its text."""
    return hashlib.sha256(template.encode("utf-8")).hexdigest()[:16]


def variant_id(version: str, text: str) -> str:
    return hashlib.sha256(f"{version}\x00{text}".encode()).hexdigest()[:16]


def _walk(command: Command) -> Iterator[Command]:
    yield command
    if not dataclasses.is_dataclass(command):
        return
    for field in dataclasses.fields(command):
        value = getattr(command, field.name)
        children = value if isinstance(value, list | tuple) else [value]
        for child in children:
            if isinstance(child, VariantOption):
                child = child.value
            if isinstance(child, Command):
                yield from _walk(child)


def _parse(text: str, where: str) -> Command:
    if len(text) > MAX_TEMPLATE_CHARS:
        raise TemplateError(
            "template_too_long",
            f"{where} is longer than {MAX_TEMPLATE_CHARS} characters",
            f"{where} ist länger als {MAX_TEMPLATE_CHARS} Zeichen",
        )
    try:
        command = parse(text)
    except pyparsing.ParseBaseException as exc:
        raise TemplateError(
            "template_syntax",
            f"{where}: unbalanced braces or bad syntax at character {exc.loc + 1}",
            f"{where}: Klammern nicht ausgeglichen oder Syntaxfehler bei Zeichen {exc.loc + 1}",
        ) from exc
    if any(isinstance(node, WildcardCommand) for node in _walk(command)):
        raise TemplateError(
            "template_wildcard",
            f"{where}: wildcards (__name__) are not enabled; list the options as {{a|b}}",
            f"{where}: Wildcards (__name__) sind nicht aktiviert; Optionen als {{a|b}} aufzählen",
        )
    return command


def _context(variables: Mapping[str, str] | None) -> SamplingContext:
    context = SamplingContext(
        wildcard_manager=WildcardManager(),
        default_sampling_method=SamplingMethod.COMBINATORIAL,
        ignore_whitespace=True,
    )
    parsed = {name: _parse(str(value), f"variable {name}") for name, value in (variables or {}).items()}
    return context.with_variables(parsed)


def _check_limit(limit: int) -> None:
    if type(limit) is not int or not 1 <= limit <= MAX_VARIANTS:
        raise TemplateError(
            "template_limit",
            f"limit must be a whole number from 1 to {MAX_VARIANTS}",
            f"das Limit muss eine ganze Zahl von 1 bis {MAX_VARIANTS} sein",
        )


def _texts(context: SamplingContext, command: Command, limit: int) -> list[str]:
    texts: list[str] = []
    try:
        for step, result in enumerate(context.sample_prompts(command)):
            text = " ".join(str(result).split())
            if text and text not in texts:
                texts.append(text)
            if len(texts) == limit or step >= _MAX_STEPS:
                break
    except KeyError as exc:
        name = str(exc.args[0]).split()[1] if exc.args and len(str(exc.args[0]).split()) > 1 else "?"
        raise TemplateError(
            "template_unknown_variable",
            f"variable {name} is used but not given",
            f"Variable {name} wird verwendet, ist aber nicht angegeben",
        ) from exc
    return texts


def expand(
    template: str,
    variables: Mapping[str, str] | None = None,
    limit: int = 20,
    *,
    version: str | None = None,
) -> list[Variant]:
    """The template's variants in combinatorial order, duplicates dropped, at most `limit` (1-200).

    `version` names the template's revision (e.g. a saved template's version number); by default a hash
    of the template text. Raises TemplateError for bad syntax, an unknown variable, wildcards or a bad limit.
    """
    _check_limit(limit)
    command = _parse(template, "template")
    tag = version if version is not None else template_version(template)
    return [Variant(variant_id(tag, text), text) for text in _texts(_context(variables), command, limit)]


class _TemplateEnvironment(ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox, also refusing powers and huge repetitions of strings or lists."""

    intercepted_binops = frozenset({"*", "**"})

    def call_binop(self, context: jinja2.runtime.Context, operator: str, left: Any, right: Any) -> Any:
        if operator == "**":
            raise SecurityError("powers are not allowed in prompt templates")
        counts = [side for side in (left, right) if isinstance(side, int)]
        repeats = any(isinstance(side, str | list | tuple) for side in (left, right))
        if repeats and any(count > _MAX_REPEAT for count in counts):
            raise SecurityError("repetition too large")
        return super().call_binop(context, operator, left, right)


def _environment() -> jinja2.Environment:
    env = _TemplateEnvironment(undefined=jinja2.StrictUndefined, autoescape=False)
    env.globals["range"] = lambda *args: range(*args)[:_MAX_RANGE]
    env.globals["permutations"] = DYNAMICPROMPTS_FUNCTIONS["permutations"]
    env.globals["all_combinations"] = DYNAMICPROMPTS_FUNCTIONS["all_combinations"]
    env.globals["generators"] = {"combinatorial": CombinatorialPromptGenerator(ignore_whitespace=True)}
    return env


def _template_failure(code: str, exc: Exception) -> TemplateError:
    detail = getattr(exc, "message", None) or str(exc)
    return TemplateError(code, f"template: {detail}", f"Vorlage: {detail}")


def render_template(template_text: str, variables: Mapping[str, Any]) -> str:
    """The template with its Jinja2 fields filled in, whitespace collapsed; variant syntax is kept for `expand`.

    Raises TemplateError: "template_syntax", "template_unknown_variable", "template_forbidden" (sandbox),
    "template_too_long" (template or output).
    """
    if len(template_text) > MAX_TEMPLATE_CHARS:
        raise TemplateError(
            "template_too_long",
            f"template is longer than {MAX_TEMPLATE_CHARS} characters",
            f"Vorlage ist länger als {MAX_TEMPLATE_CHARS} Zeichen",
        )
    try:
        chunks: list[str] = []
        size = 0
        for chunk in _environment().from_string(template_text).generate(**dict(variables)):
            size += len(chunk)
            if size > MAX_OUTPUT_CHARS:
                raise TemplateError(
                    "template_too_long",
                    f"the filled-in template is longer than {MAX_OUTPUT_CHARS} characters",
                    f"die ausgefüllte Vorlage ist länger als {MAX_OUTPUT_CHARS} Zeichen",
                )
            chunks.append(chunk)
    except jinja2.TemplateSyntaxError as exc:
        raise _template_failure("template_syntax", exc) from exc
    except jinja2.UndefinedError as exc:
        raise _template_failure("template_unknown_variable", exc) from exc
    except SecurityError as exc:
        raise _template_failure("template_forbidden", exc) from exc
    return " ".join("".join(chunks).split())
