"""Midjourney parameters: reading them from a prompt and checking them against the documented ranges.

Ranges from the V7 parameter table (https://docs.evolink.ai/en/api-manual/image-series/midjourney/midjourney-v7-prompt-guide,
a third-party API guide; Midjourney's own pages refuse automated reading): --ar integers only, --c 0-100,
--q 1/2/4, --seed 0-4294967295, --s 0-1000, --w 0-3000, --exp 0-100, --iw 0-3, --sw 0-1000, --ow 1-1000,
--oref not with --q 4, and no "::" multi-prompts in V7. Apple devices turn "--" into an em dash, which
Midjourney reads as "--" too, so both start a parameter.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

SOURCE = "https://docs.evolink.ai/en/api-manual/image-series/midjourney/midjourney-v7-prompt-guide"
_PARAM = re.compile(r"(?:(?<=\s)|^)(?:--|—)([A-Za-z]+)")
_INTEGER = re.compile(r"\d+")
_NUMBER = re.compile(r"\d+(?:\.\d+)?|\.\d+")
_ASPECT = re.compile(r"\d+:\d+")
_VERSION = re.compile(r"\d+(?:\.\d+)?")
MAX_SEED = 4_294_967_295

# name -> (low, high, whole numbers only)
RANGES: dict[str, tuple[float, float, bool]] = {
    "s": (0, 1000, True),
    "c": (0, 100, True),
    "seed": (0, MAX_SEED, True),
    "w": (0, 3000, True),
    "exp": (0, 100, True),
    "iw": (0, 3, False),
    "sw": (0, 1000, True),
    "ow": (1, 1000, True),
}
QUALITIES = ("1", "2", "4")
ALIASES = {"stylize": "s", "chaos": "c", "weird": "w", "quality": "q", "aspect": "ar", "version": "v"}
KNOWN = {*RANGES, "ar", "q", "no", "raw", "tile", "draft", "style", "v", "niji", "sref", "sv", "oref"}


@dataclass(frozen=True)
class Param:
    """One parameter as written: canonical name, value text and its character range in the prompt."""

    name: str
    value: str
    start: int
    end: int


@dataclass(frozen=True)
class ParamProblem:
    """A parameter that Midjourney rejects or ignores, as a lint code with the reason's words."""

    code: str
    param: Param
    detail_en: str
    detail_de: str


def split_prompt(text: str) -> tuple[str, list[Param]]:
    """The prompt's text part (before the first parameter) and its parameters in order."""
    markers = list(_PARAM.finditer(text))
    params: list[Param] = []
    for index, marker in enumerate(markers):
        value_end = markers[index + 1].start() if index + 1 < len(markers) else len(text)
        raw_value = text[marker.end() : value_end]
        value = raw_value.strip()
        end = marker.end() + len(raw_value.rstrip())
        name = marker.group(1).lower()
        params.append(Param(ALIASES.get(name, name), value, marker.start(), end))
    head = text[: markers[0].start()] if markers else text
    return head, params


def version_of(params: list[Param], default: str | None) -> str | None:
    for param in params:
        if param.name == "v" and param.value:
            return param.value
    return default


def is_v7(version: str | None) -> bool:
    """V7 rules apply to V7 and to an unnamed version, which is V7 as the table was written."""
    return version is None or version.split(".")[0] == "7"


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def _range_problem(param: Param) -> ParamProblem | None:
    low, high, whole = RANGES[param.name]
    pattern = _INTEGER if whole else _NUMBER
    kind_en, kind_de = ("a whole number", "eine ganze Zahl") if whole else ("a number", "eine Zahl")
    if pattern.fullmatch(param.value) and low <= float(param.value) <= high:
        return None
    bounds = f"{_number(low)}–{_number(high)}"
    return ParamProblem(
        "mj_param_out_of_range",
        param,
        f"--{param.name} takes {kind_en} from {bounds}, not “{param.value}”",
        f"--{param.name} nimmt {kind_de} von {bounds}, nicht „{param.value}“",
    )


def _value_problem(param: Param) -> ParamProblem | None:
    if param.name in RANGES:
        return _range_problem(param)
    if param.name == "ar" and not _ASPECT.fullmatch(param.value):
        return ParamProblem(
            "mj_aspect_not_integer",
            param,
            f"--ar takes whole numbers such as 4:5, not “{param.value}”",
            f"--ar nimmt ganze Zahlen wie 4:5, nicht „{param.value}“",
        )
    if param.name == "q" and param.value not in QUALITIES:
        return ParamProblem(
            "mj_param_out_of_range",
            param,
            f"--q takes 1, 2 or 4, not “{param.value}”",
            f"--q nimmt 1, 2 oder 4, nicht „{param.value}“",
        )
    if param.name == "v" and not _VERSION.fullmatch(param.value):
        return ParamProblem(
            "mj_param_out_of_range",
            param,
            f"--v takes a version number such as 7, not “{param.value}”",
            f"--v nimmt eine Versionsnummer wie 7, nicht „{param.value}“",
        )
    if param.name not in KNOWN:
        return ParamProblem(
            "mj_unknown_param",
            param,
            f"--{param.name} is not in the documented parameter table",
            f"--{param.name} steht nicht in der dokumentierten Parametertabelle",
        )
    return None


def check_params(params: list[Param], version: str | None) -> list[ParamProblem]:
    """Every parameter out of range, non-integer --ar, unknown name, and --oref together with --q 4."""
    problems = [problem for problem in map(_value_problem, params) if problem is not None]
    oref = next((p for p in params if p.name == "oref"), None)
    q4 = next((p for p in params if p.name == "q" and p.value == "4"), None)
    if oref is not None and q4 is not None and is_v7(version):
        problems.append(
            ParamProblem(
                "mj_oref_with_q4",
                q4,
                "--oref (omni reference) does not work with --q 4; use --q 1 or 2",
                "--oref (Omni-Referenz) geht nicht mit --q 4; --q 1 oder 2 nehmen",
            )
        )
    return problems
