from __future__ import annotations

from creatordesk.reviews.stages import combine, stage_states, version_outcome

A, AWC, CR, RJ = "approved", "approved_with_changes", "changes_required", "rejected"


def test_any_changes_required_makes_the_stage_changes_required() -> None:
    assert combine([A, AWC, CR]) == CR


def test_else_any_approved_with_changes_wins_over_approved() -> None:
    assert combine([A, AWC, A]) == AWC
    assert combine([A, A]) == A
    assert combine([]) is None


def test_sequential_stage_opens_only_after_the_earlier_one_approved() -> None:
    stages = [("Creator management", 1), ("Legal", 2)]
    states = stage_states(stages, [])
    assert [s.open for s in states] == [True, False]
    states = stage_states(stages, [("Creator management", A)])
    assert [s.open for s in states] == [False, True]
    assert version_outcome(states) is None
    assert version_outcome(stage_states(stages, [("Creator management", A), ("Legal", AWC)])) == AWC


def test_parallel_stages_are_open_together_and_one_change_request_decides() -> None:
    stages = [("Brand", 1), ("Legal", 1)]
    assert [s.open for s in stage_states(stages, [])] == [True, True]
    states = stage_states(stages, [("Legal", CR)])
    assert version_outcome(states) == CR


def test_rejection_outranks_everything() -> None:
    assert version_outcome(stage_states([("A", 1), ("B", 1)], [("A", CR), ("B", RJ)])) == RJ
