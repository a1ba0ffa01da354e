"""A decision reaches the creator: in the email, in their language, and on their portal page."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core import mail
from django.test import Client

from creatordesk.notifications.models import Delivery
from creatordesk.notifications.services import delivery_attempt
from creatordesk.reviews import services
from creatordesk.reviews.models import Finding, FindingState, Version

pytestmark = pytest.mark.django_db

NOTE = "Bitte sag nicht, dass das Serum Akne heilt."


def _version(side, clip: Path) -> Version:
    submission = services.submission_create(
        collaboration=side.collaboration, title="Serum video", actor=side.creator
    )
    return services.submission_submit(
        collaboration=submission.collaboration,
        submission=submission,
        source=clip,
        original_name="v.mp4",
        by_creator=side.creator,
    )


def _finding(version: Version, *, at: float, explanation: str, state: str, reviewer) -> Finding:
    # The analysis does not run here; a finding as it would record one, judged by the reviewer.
    finding = Finding.objects.create(
        workspace=version.workspace, version=version, rule="medical_claim.cure", category="medical_claim",
        severity="block", source="speech", start_s=at, end_s=at + 2, evidence="heilt", explanation=explanation,
        citation="HWG § 3",
    )  # fmt: skip
    reason = "" if state == FindingState.CONFIRMED else "Kein Heilversprechen"
    return services.finding_set_state(finding=finding, state=state, reason=reason, user=reviewer)


def _decide(side, login_as, version: Version, outcome: str, note: str = "") -> None:
    response = login_as(side.reviewer).post(
        f"/reviews/versions/{version.pk}/decisions/", {"stage": "Review", "outcome": outcome, "note": note}
    )
    assert response.status_code == 302


def _send_all() -> None:
    for delivery in Delivery.objects.filter(status=Delivery.Status.PENDING):
        delivery_attempt(delivery=delivery)


def _link(body: object) -> str:
    return next(line for line in str(body).splitlines() if line.startswith("http"))


@pytest.fixture
def german_creator(side_a):
    side_a.creator.email, side_a.creator.languages = "alpha@creator.de", "de-AT, en"
    side_a.creator.save()
    return side_a.creator


def test_a_german_creator_is_emailed_the_note_and_what_to_fix_with_a_link_to_their_portal(
    side_a, german_creator, login_as, claim_clip
) -> None:
    version = _version(side_a, claim_clip)
    _finding(
        version,
        at=3,
        explanation="Heilversprechen sind verboten.",
        state="confirmed",
        reviewer=side_a.reviewer,
    )
    _finding(version, at=5, explanation="Nur ein Verdacht.", state="dismissed", reviewer=side_a.reviewer)
    _decide(side_a, login_as, version, "changes_required", NOTE)
    _send_all()

    (own,) = [m for m in mail.outbox if m.to == [german_creator.email]]
    assert own.subject == f"[{side_a.workspace.name}] „Serum video“ v1: Änderungen nötig"
    assert NOTE in own.body
    assert "0:03.0" in own.body and "Heilversprechen sind verboten." in own.body
    assert "Nur ein Verdacht." not in own.body  # dismissed: nothing to fix
    link = _link(own.body)
    assert link.startswith("http://testserver/creators/portal/")
    assert link.endswith(f"/submissions/{version.submission_id}/")

    # The link opens the submission without a sign-in, and the page shows the note and the point to fix.
    page = Client(HTTP_ACCEPT_LANGUAGE="de").get(link.removeprefix("http://testserver"))
    assert page.status_code == 200
    html = page.content.decode()
    decisions = html.split('data-testid="portal-decisions"', 1)[1]
    assert NOTE in decisions and "Änderungen nötig" in decisions
    to_fix = html.split('data-testid="portal-to-fix"', 1)[1].split("</ul>", 1)[0]
    assert "Heilversprechen sind verboten." in to_fix and "Nur ein Verdacht." not in to_fix

    (staff,) = [m for m in mail.outbox if m.to == [side_a.manager.email] and "v1: " in m.subject]
    assert _link(staff.body) == f"http://testserver/reviews/{version.submission_id}/"
    assert "/creators/portal/" not in staff.body


def test_an_approval_email_links_the_creator_to_the_portal_not_the_staff_page(
    side_a, login_as, claim_clip
) -> None:
    side_a.creator.email = "alpha@creator.example"
    side_a.creator.save()
    version = _version(side_a, claim_clip)
    _decide(side_a, login_as, version, "approved")
    _send_all()

    (own,) = [m for m in mail.outbox if m.to == ["alpha@creator.example"]]
    assert own.subject.endswith("v1: Approved")  # no language given: the site's
    assert "/reviews/" not in own.body
    assert Client().get(_link(own.body).removeprefix("http://testserver")).status_code == 200


def test_the_portal_shows_the_decisions_of_earlier_versions_with_their_notes(
    side_a, login_as, claim_clip, client
) -> None:
    first = _version(side_a, claim_clip)
    _decide(side_a, login_as, first, "changes_required", "Zeig das Produkt länger.")
    second = services.submission_submit(
        collaboration=first.submission.collaboration,
        submission=first.submission,
        source=claim_clip,
        original_name="v2.mp4",
        by_creator=side_a.creator,
    )
    from creatordesk.creators.portal import portal_submission_path

    html = client.get(portal_submission_path(creator=side_a.creator, submission_pk=second.submission_id))
    decisions = html.content.decode().split('data-testid="portal-decisions"', 1)[1]
    assert "v1 · Review" in decisions and "Zeig das Produkt länger." in decisions
    assert 'data-testid="portal-to-fix"' not in html.content.decode()  # v2 has no confirmed findings


def test_a_creator_without_an_email_address_gets_no_delivery(side_a, login_as, claim_clip) -> None:
    version = _version(side_a, claim_clip)
    _decide(side_a, login_as, version, "rejected", "Passt nicht zur Kampagne.")
    targets = set(Delivery.objects.filter(event="decision").values_list("target", flat=True))
    assert targets == {side_a.owner.email, side_a.manager.email}
