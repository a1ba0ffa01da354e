"""What the prompt composer hands back: rendered prompts, lint issues, notes and variants, plus its errors.

Every text meant for a person comes in English and German (`message_en`, `message_de`) next to a stable
`code`, so the web layer can show either or translate by code.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Generator = Literal["midjourney", "stable_diffusion", "gpt_image", "firefly"]
GENERATORS: tuple[Generator, ...] = ("midjourney", "stable_diffusion", "gpt_image", "firefly")
Severity = Literal["block", "warn", "info"]


@dataclass(frozen=True)
class LintIssue:
    """One problem found in a brief or a prompt text.

    `span` is a (start, end) character range in the text named by `field`: a brief field such as
    "subject", a rendered output ("rendered.prompt", "rendered.negative_prompt"), or, when `field` is
    None, the text that was linted. Option problems name the option ("midjourney.stylize") and have no span.
    """

    code: str
    severity: Severity
    message_en: str
    message_de: str
    span: tuple[int, int] | None = None
    field: str | None = None

    def as_dict(self) -> dict[str, object]:
        return {
            "code": self.code,
            "severity": self.severity,
            "message": {"en": self.message_en, "de": self.message_de},
            "span": list(self.span) if self.span else None,
            "field": self.field,
        }


@dataclass(frozen=True)
class RenderNote:
    """Advice that goes with a rendered prompt or a recommendation (a crop to plan, a setting to check)."""

    code: str
    message_en: str
    message_de: str

    def as_dict(self) -> dict[str, object]:
        return {"code": self.code, "message": {"en": self.message_en, "de": self.message_de}}


@dataclass(frozen=True)
class TokenCount:
    """An approximate CLIP token count of a Stable Diffusion prompt and the part past the window.

    `overflow_start` is the character offset where the first token beyond `limit` begins (None when
    everything fits); `overflow_text` is the text from there on.
    """

    count: int
    limit: int
    overflow_start: int | None = None
    overflow_text: str = ""

    @property
    def overflows(self) -> bool:
        return self.count > self.limit

    def as_dict(self) -> dict[str, object]:
        return {
            "count": self.count,
            "limit": self.limit,
            "overflow_start": self.overflow_start,
            "overflow_text": self.overflow_text,
        }


@dataclass(frozen=True)
class RenderedPrompt:
    """A brief rendered for one generator: the text to paste, its settings and what to check.

    `settings` holds what the generator takes outside the prompt text (SD width/height, GPT-image size,
    Firefly content type and aspect ratio). `unverified` names settings or fields whose syntax was not
    checked against the generator's own documentation.
    """

    generator: Generator
    prompt: str
    negative_prompt: str = ""
    settings: dict[str, str | int] = field(default_factory=dict)
    notes: tuple[RenderNote, ...] = ()
    unverified: tuple[str, ...] = ()
    prompt_tokens: TokenCount | None = None
    negative_tokens: TokenCount | None = None

    def as_dict(self) -> dict[str, object]:
        return {
            "generator": self.generator,
            "prompt": self.prompt,
            "negative_prompt": self.negative_prompt,
            "settings": dict(self.settings),
            "notes": [note.as_dict() for note in self.notes],
            "unverified": list(self.unverified),
            "prompt_tokens": self.prompt_tokens.as_dict() if self.prompt_tokens else None,
            "negative_tokens": self.negative_tokens.as_dict() if self.negative_tokens else None,
        }


class PromptBriefError(ValueError):
    """A brief that cannot describe an image: empty subject, unknown format, purpose or option choice."""

    def __init__(self, field_name: str, message_en: str, message_de: str) -> None:
        super().__init__(f"{field_name}: {message_en}")
        self.field = field_name
        self.message_en = message_en
        self.message_de = message_de


class PromptOptionError(ValueError):
    """A generator option out of its documented range; rendering it would give a prompt the tool rejects."""

    def __init__(self, issues: tuple[LintIssue, ...]) -> None:
        super().__init__("; ".join(f"{issue.field}: {issue.message_en}" for issue in issues))
        self.issues = issues


class TemplateError(ValueError):
    """A prompt template that cannot be expanded or rendered (bad syntax, unknown variable, bad limit)."""

    def __init__(self, code: str, message_en: str, message_de: str) -> None:
        super().__init__(message_en)
        self.code = code
        self.message_en = message_en
        self.message_de = message_de
