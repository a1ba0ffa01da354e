"""Policy packs: YAML files of rules, validated loudly and compiled once per process.

A pack that loads is a pack whose every rule can fire: unknown keys, a category outside CATEGORIES, a
missing citation or an unparsable pattern stop loading with one line naming the file and the rule.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, cast

from creatordesk.engine.rules.matcher import DEFAULT_WINDOW, Matcher, Pattern, PatternError, compile_patterns
from creatordesk.engine.rules.yamlfile import read_yaml_file
from creatordesk.engine.types import CATEGORIES, InputError, Severity

PACKS_DIR = Path(__file__).with_name("packs")
LANGUAGES = ("en", "de")
SEVERITIES: tuple[Severity, ...] = ("block", "warn", "info")
# Patterns under `any` apply in every language: brand names, hashtags, loanwords ("link in bio").
_ANY = "any"
_PACK_KEYS = {"name", "title", "description", "terms", "exception_sets", "rules", "disclosure"}
_TERM_REF = re.compile(r"\$([a-z][a-z0-9_]*)")
_RULE_KEYS = {
    "id",
    "category",
    "severity",
    "citation",
    "explanation",
    "patterns",
    "exceptions",
    "exception_sets",
    "window",
    "negatable",
}
_DISCLOSURE_KEYS = {"id", "citation", "start_window_s", "labels", "weak_labels", "not_labels", "explanation"}
_DISCLOSURE_MESSAGES = ("missing", "late", "weak")


def explain(texts: Mapping[str, str], lang: str) -> str:
    """The explanation in the span's language, English when the pack has none in it."""
    return texts.get(lang) or texts["en"]


@dataclass(frozen=True)
class Rule:
    """One compiled pack rule."""

    id: str
    category: str
    severity: Severity
    citation: str
    explanation: Mapping[str, str]
    matchers: Mapping[str, Matcher]

    @property
    def languages(self) -> tuple[str, ...]:
        return tuple(self.matchers)


@dataclass(frozen=True)
class DisclosureSpec:
    """What counts as an ad label, a weak label, and how early it must appear."""

    id: str
    citation: str
    start_window_s: float
    labels: Mapping[str, Matcher]
    weak_labels: Mapping[str, Matcher]
    explanation: Mapping[str, Mapping[str, str]]


@dataclass(frozen=True)
class Pack:
    """A named set of compiled rules loaded from one YAML file."""

    name: str
    title: str
    path: Path
    rules: tuple[Rule, ...]
    disclosure: DisclosureSpec | None = None


def available_packs() -> list[str]:
    """Names of the packs shipped with CreatorDesk."""
    return sorted(path.stem for path in PACKS_DIR.glob("*.yaml"))


def load_packs(names: Sequence[str]) -> list[Pack]:
    """Load shipped packs by name, or any pack file by a path ending in .yaml."""
    if isinstance(names, str):
        raise TypeError("load_packs takes a sequence of pack names, not one string")
    packs = [_load_pack(_pack_path(name)) for name in names]
    seen: dict[str, str] = {}
    for pack in packs:
        for rule in pack.rules:
            if rule.id in seen:
                raise InputError(
                    f"policy pack {pack.name}: rule id {rule.id!r} also used in pack {seen[rule.id]}"
                )
            seen[rule.id] = pack.name
    return packs


def _pack_path(name: str) -> Path:
    if name.endswith((".yaml", ".yml")):
        return Path(name).resolve()
    if name not in available_packs():
        raise InputError(f"unknown policy pack {name!r}; available: {', '.join(available_packs())}")
    return PACKS_DIR / f"{name}.yaml"


@lru_cache(maxsize=32)
def _load_pack(path: Path) -> Pack:
    data = read_yaml_file(path)
    return _PackReader(path).read(data)


class _PackReader:
    """Validates one pack's parsed YAML and compiles it; every error names file and rule."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.where = f"policy pack {path.name}"
        self.exception_sets: dict[str, dict[str, tuple[Pattern, ...]]] = {}
        self.terms: dict[str, str] = {}

    def fail(self, problem: str) -> InputError:
        return InputError(f"{self.where}: {problem}")

    def read(self, data: object) -> Pack:
        data = self.mapping(data, "the file", required={"name", "rules"}, allowed=_PACK_KEYS)
        name = self.text(data, "name")
        if name != self.path.stem:
            raise self.fail(f"name {name!r} differs from the file name {self.path.stem!r}")
        for term_name, words in self.mapping(data.get("terms", {}), "terms").items():
            if isinstance(words, list) and words and all(isinstance(w, str) and w.strip() for w in words):
                words = "|".join(w.strip() for w in words)
            if not isinstance(words, str) or not words.strip():
                raise self.fail(f"terms.{term_name} must be a list of words or 'a|b|c' text")
            self.terms[str(term_name)] = self.expand(words.strip(), f"terms.{term_name}")
        for set_name, spec in self.mapping(data.get("exception_sets", {}), "exception_sets").items():
            self.exception_sets[str(set_name)] = self.by_language(spec, f"exception set {set_name!r}")
        rules_data = data["rules"]
        if not isinstance(rules_data, list) or not rules_data:
            raise self.fail("rules must be a non-empty list")
        rules = tuple(self.rule(item, number) for number, item in enumerate(rules_data, start=1))
        ids = [rule.id for rule in rules]
        duplicate = next((rule_id for rule_id in ids if ids.count(rule_id) > 1), None)
        if duplicate:
            raise self.fail(f"rule id {duplicate!r} is used twice")
        disclosure = self.disclosure(data["disclosure"]) if "disclosure" in data else None
        return Pack(
            name=name,
            title=str(data.get("title", name)),
            path=self.path,
            rules=rules,
            disclosure=disclosure,
        )

    def rule(self, data: object, number: int) -> Rule:
        data = self.mapping(
            data,
            f"rule {number}",
            required={"id", "category", "severity", "citation", "explanation", "patterns"},
            allowed=_RULE_KEYS,
        )
        rule_id = self.text(data, "id")
        outer, self.where = self.where, f"{self.where}, rule {rule_id}"
        try:
            category = self.text(data, "category")
            if category not in CATEGORIES:
                raise self.fail(f"category {category!r} is not one of CATEGORIES")
            severity = self.text(data, "severity")
            if severity not in SEVERITIES:
                raise self.fail(f"severity must be one of {', '.join(SEVERITIES)}, got {severity!r}")
            window = data.get("window", DEFAULT_WINDOW)
            if isinstance(window, bool) or not isinstance(window, int) or window < 1:
                raise self.fail(f"window must be a positive whole number, got {window!r}")
            negatable = data.get("negatable", True)
            if not isinstance(negatable, bool):
                raise self.fail("negatable must be true or false")
            patterns = self.by_language(data["patterns"], "patterns", window=window)
            exceptions = self.by_language(data.get("exceptions", {}), "exceptions", window=window)
            for set_name in self.list_of_text(data.get("exception_sets", []), "exception_sets"):
                if set_name not in self.exception_sets:
                    raise self.fail(f"exception set {set_name!r} is not defined in exception_sets")
                for lang, extra in self.exception_sets[set_name].items():
                    exceptions[lang] = exceptions.get(lang, ()) + extra
            matchers = self.matchers(patterns, exceptions, negatable=negatable)
            return Rule(
                id=rule_id,
                category=category,
                severity=cast(Severity, severity),
                citation=self.text(data, "citation"),
                explanation=self.explanation(data["explanation"], "explanation"),
                matchers=matchers,
            )
        finally:
            self.where = outer

    def disclosure(self, data: object) -> DisclosureSpec:
        data = self.mapping(
            data,
            "disclosure",
            required={"id", "citation", "start_window_s", "labels", "weak_labels", "explanation"},
            allowed=_DISCLOSURE_KEYS,
        )
        window = data["start_window_s"]
        if isinstance(window, bool) or not isinstance(window, int | float) or window <= 0:
            raise self.fail(f"disclosure.start_window_s must be a positive number, got {window!r}")
        # not_labels are phrases that contain a label word but are no disclosure ("unbezahlte Werbung").
        not_labels = self.by_language(data.get("not_labels", {}), "not_labels")
        labels = self.matchers(self.by_language(data["labels"], "labels"), not_labels, negatable=True)
        weak = self.matchers(self.by_language(data["weak_labels"], "weak_labels"), {}, negatable=True)
        messages = self.mapping(
            data["explanation"],
            "explanation",
            required=set(_DISCLOSURE_MESSAGES),
            allowed=set(_DISCLOSURE_MESSAGES),
        )
        return DisclosureSpec(
            id=self.text(data, "id"),
            citation=self.text(data, "citation"),
            start_window_s=float(window),
            labels=labels,
            weak_labels=weak,
            explanation={key: self.explanation(messages[key], f"explanation.{key}") for key in messages},
        )

    def matchers(
        self,
        patterns: Mapping[str, tuple[Pattern, ...]],
        exceptions: Mapping[str, tuple[Pattern, ...]],
        *,
        negatable: bool,
    ) -> dict[str, Matcher]:
        languages = LANGUAGES if _ANY in patterns else tuple(lang for lang in LANGUAGES if lang in patterns)
        return {
            lang: Matcher(
                patterns=patterns.get(lang, ()) + patterns.get(_ANY, ()),
                exceptions=exceptions.get(lang, ()) + exceptions.get(_ANY, ()),
                negatable=negatable,
                lang=lang,
            )
            for lang in languages
        }

    def by_language(
        self, data: object, key: str, *, window: int = DEFAULT_WINDOW
    ) -> dict[str, tuple[Pattern, ...]]:
        data = self.mapping(data, key, allowed={*LANGUAGES, _ANY})
        result = {}
        for lang, specs in data.items():
            if not isinstance(specs, list) or not specs:
                raise self.fail(f"{key}.{lang} must be a non-empty list of patterns")
            specs = [self.expand_spec(spec, f"{key}.{lang}") for spec in specs]
            try:
                result[str(lang)] = compile_patterns(specs, window=window)
            except PatternError as exc:
                raise self.fail(f"{key}.{lang}: {exc}") from exc
        return result

    def expand(self, text: str, key: str) -> str:
        """Replace `$name` with the alternatives listed under `terms:` (a term list may use earlier ones)."""

        def substitute(found: re.Match[str]) -> str:
            if found.group(1) not in self.terms:
                raise self.fail(f"{key}: ${found.group(1)} is not defined under terms")
            return self.terms[found.group(1)]

        return _TERM_REF.sub(substitute, text)

    def expand_spec(self, spec: object, key: str) -> object:
        if isinstance(spec, str):
            return self.expand(spec, key)
        if isinstance(spec, dict) and isinstance(spec.get("match"), str):
            return {**spec, "match": self.expand(spec["match"], key)}
        return spec

    def explanation(self, data: object, key: str) -> dict[str, str]:
        data = self.mapping(data, key, required={"en", "de"}, allowed=set(LANGUAGES))
        for lang in data:
            self.text(data, lang, label=f"{key}.{lang}")
        return {str(lang): str(text).strip() for lang, text in data.items()}

    def mapping(
        self,
        data: object,
        key: str,
        *,
        required: set[str] | frozenset[str] = frozenset(),
        allowed: set[str] | None = None,
    ) -> dict[str, Any]:
        if not isinstance(data, dict):
            raise self.fail(f"{key} must be a mapping")
        missing = sorted(required - set(data))
        if missing:
            raise self.fail(f"{key} lacks {missing[0]!r}")
        if allowed is not None:
            unknown = sorted(str(k) for k in set(data) - allowed)
            if unknown:
                raise self.fail(
                    f"{key} has unknown key {unknown[0]!r}; allowed: {', '.join(sorted(allowed))}"
                )
        return data

    def text(self, data: Mapping[str, Any], key: str, *, label: str | None = None) -> str:
        value = data.get(key)
        if not isinstance(value, str) or not value.strip():
            raise self.fail(f"{label or key} must be non-empty text")
        return value

    def list_of_text(self, data: object, key: str) -> list[str]:
        if not isinstance(data, list) or not all(isinstance(item, str) for item in data):
            raise self.fail(f"{key} must be a list of names")
        return data
