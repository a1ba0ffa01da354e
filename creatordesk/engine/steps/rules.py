"""Rules: hand every transcript sentence, on-screen line and the caption to the text rules."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from creatordesk.engine.steps.base import ReviewState

if TYPE_CHECKING:
    from creatordesk.engine.context import ReviewContext


class RulesStep:
    name: ClassVar[str] = "rules"
    needs: ClassVar[tuple[str, ...]] = ("speech", "onscreen_text", "caption")

    def applies_to(self, state: ReviewState) -> bool:
        # Runs on no text at all, too: a missing disclosure or must-mention is a finding then.
        return state.media is not None

    def run(self, ctx: ReviewContext, state: ReviewState) -> None:
        from creatordesk.engine.rules import check_text

        state.add_findings(
            check_text(state.spans(), packs=state.packs, brief=state.brief, duration_s=state.duration_s)
        )
