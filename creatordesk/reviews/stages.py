"""How individual decisions add up to a stage result and to the outcome of a version.

Pure functions over plain values, so the rules are easy to read and to test:
- within a stage: any "changes required" makes the stage "changes required"; else any "approved with
  changes"; else "approved" ("rejected" outranks everything);
- stages with the same position run in parallel; a later position opens only when every earlier
  stage approved; a stage that did not approve ends the round with its result;
- a stage may name who decides it (workspace roles and/or people); one without owners may be
  decided by every owner, manager and reviewer; unless the workspace allows it, a person who decided
  one stage of a version does not decide another one of it (separation of duties, NIST SP 800-53
  AC-5).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _

from creatordesk.accounts.models import Role
from creatordesk.reviews.models import Outcome

DECIDING_ROLES = (Role.OWNER, Role.MANAGER, Role.REVIEWER)

_RANK = {
    Outcome.APPROVED: 0,
    Outcome.APPROVED_WITH_CHANGES: 1,
    Outcome.CHANGES_REQUIRED: 2,
    Outcome.REJECTED: 3,
}
APPROVING = (Outcome.APPROVED, Outcome.APPROVED_WITH_CHANGES)


def combine(outcomes: Iterable[str]) -> str | None:
    """The stage result of its decisions, or None while it has none."""
    ranked = sorted((Outcome(o) for o in outcomes), key=_RANK.__getitem__)
    return str(ranked[-1]) if ranked else None


@dataclass(frozen=True)
class StageState:
    name: str
    position: int
    result: str | None
    open: bool


def stage_states(stages: Sequence[tuple[str, int]], decisions: Sequence[tuple[str, str]]) -> list[StageState]:
    """`stages` as (name, position); `decisions` as (stage name, outcome)."""
    by_stage: dict[str, list[str]] = {}
    for stage_name, outcome in decisions:
        by_stage.setdefault(stage_name, []).append(outcome)
    states = []
    blocked = False
    for position in sorted({p for _n, p in stages}):
        group = [(n, p) for n, p in stages if p == position]
        results = {n: combine(by_stage.get(n, [])) for n, _p in group}
        for name, _p in group:
            states.append(
                StageState(name, position, results[name], open=not blocked and results[name] is None)
            )
        if any(r is None or r not in APPROVING for r in results.values()):
            blocked = True
    return states


def version_outcome(states: Sequence[StageState]) -> str | None:
    """The version's final outcome once it is settled, else None."""
    results = [s.result for s in states]
    failed = [r for r in results if r is not None and r not in APPROVING]
    if failed:
        return combine(failed)
    if all(r is not None for r in results):
        return combine(r for r in results if r is not None)
    return None


@dataclass(frozen=True)
class StageOwners:
    """Who may decide one stage: `roles` are workspace role values, `members` (user id, name) pairs."""

    roles: tuple[str, ...] = ()
    members: tuple[tuple[int, str], ...] = ()

    @property
    def anyone(self) -> bool:
        return not self.roles and not self.members

    def allows(self, *, user_id: int, role: str) -> bool:
        if self.anyone:
            return role in DECIDING_ROLES
        return role in self.roles or any(user_id == pk for pk, _name in self.members)

    def describe(self) -> str:
        if self.anyone:
            return ", ".join(str(Role(r).label) for r in DECIDING_ROLES)
        labels = [str(Role(r).label) for r in self.roles if r in Role.values]
        return ", ".join(labels + [name for _pk, name in self.members])


def refusal(
    *, stage: str, owners: StageOwners, user_id: int, role: str, decided_other_stage: bool, many_allowed: bool
) -> str | None:
    """Why this person may not decide `stage`, or None if they may."""
    if not owners.allows(user_id=user_id, role=role):
        return _("Only %(who)s may decide the stage “%(stage)s”.") % {
            "who": owners.describe(),
            "stage": stage,
        }
    if decided_other_stage and not many_allowed:
        return _(
            "You already decided another stage of this version; someone else has to decide “%(stage)s”."
        ) % {"stage": stage}
    return None
