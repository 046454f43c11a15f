"""Which events an audit row stands for, and the signature receivers verify (pure logic)."""

from __future__ import annotations

from okrflow.webhooks import events, signing


def test_each_action_maps_to_its_events() -> None:
    assert events.events_of_change("create_objective", "objective", None, {"state": "draft"}) == [
        events.OBJECTIVE_CREATED
    ]
    assert events.events_of_change(
        "agree_objective", "objective", {"state": "proposed"}, {"state": "active"}
    ) == [events.PROPOSAL_AGREED, events.OBJECTIVE_STATUS_CHANGED]
    assert events.events_of_change(
        "update_objective",
        "objective",
        {"title": "a", "state": "draft"},
        {"title": "b", "state": "draft"},
    ) == [events.OBJECTIVE_CHANGED]
    assert events.events_of_change("submit_checkin", "checkin", None, {}) == [
        events.CHECKIN_SUBMITTED
    ]
    assert events.events_of_change("close_cycle", "cycle", {}, {}) == [events.CYCLE_CLOSED]
    assert events.events_of_change("create_unit", "orgunit", None, {}) == []


def test_risk_events_follow_the_status_across_the_line() -> None:
    assert events.risk_event("on_track", "at_risk") == events.RISK_RAISED
    assert events.risk_event(None, "off_track") == events.RISK_RAISED
    assert events.risk_event("off_track", "on_track") == events.RISK_CLEARED
    assert events.risk_event("at_risk", "off_track") is None
    assert events.risk_event("on_track", "done") is None


def test_a_signature_verifies_only_with_the_same_secret_time_and_body() -> None:
    body = b'{"event":"objective.created"}'
    header = signing.signature("whsec_a", 1_700_000_000, body)
    assert signing.verify("whsec_a", "1700000000", body, header)
    assert not signing.verify("whsec_b", "1700000000", body, header)
    assert not signing.verify("whsec_a", "1700000001", body, header)
    assert not signing.verify("whsec_a", "1700000000", body + b" ", header)
    assert not signing.verify("whsec_a", "not a number", body, header)


def test_one_dispatch_is_asked_per_transaction_even_after_a_rollback(
    db: None, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    import pytest
    from django.db import transaction

    from okrflow.org.actions import create_unit
    from okrflow.webhooks.dispatch import kick_dispatch

    with pytest.raises(RuntimeError), transaction.atomic():
        create_unit(None, name="Gone")
        raise RuntimeError
    with django_capture_on_commit_callbacks() as callbacks, transaction.atomic():
        create_unit(None, name="Kept")
        create_unit(None, name="Kept too")
    assert sum(1 for callback in callbacks if callback is kick_dispatch) == 1
