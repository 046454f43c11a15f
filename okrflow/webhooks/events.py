"""Which webhook events an audited change is: pure logic, no Django."""

from __future__ import annotations

from typing import Any

OBJECTIVE_CREATED = "objective.created"
OBJECTIVE_CHANGED = "objective.changed"
OBJECTIVE_STATUS_CHANGED = "objective.status_changed"
VALUE_RECORDED = "key_result.value_recorded"
CHECKIN_SUBMITTED = "checkin.submitted"
RISK_RAISED = "risk.raised"
RISK_CLEARED = "risk.cleared"
PROPOSAL_SENT = "proposal.sent"
PROPOSAL_AGREED = "proposal.agreed"
PROPOSAL_SENT_BACK = "proposal.sent_back"
CYCLE_CLOSED = "cycle.closed"
WEEKLY_DIGEST = "unit.weekly_digest"
TEST = "webhook.test"

# Every event a subscription can choose, in the order the form lists them.
SUBSCRIBABLE = (
    OBJECTIVE_CREATED,
    OBJECTIVE_CHANGED,
    OBJECTIVE_STATUS_CHANGED,
    VALUE_RECORDED,
    CHECKIN_SUBMITTED,
    RISK_RAISED,
    RISK_CLEARED,
    PROPOSAL_SENT,
    PROPOSAL_AGREED,
    PROPOSAL_SENT_BACK,
    CYCLE_CLOSED,
    WEEKLY_DIGEST,
)

CREATING_ACTIONS = {"create_objective", "duplicate_objective", "carry_over_objective"}
PROPOSAL_ACTIONS = {
    "propose_objective": PROPOSAL_SENT,
    "agree_objective": PROPOSAL_AGREED,
    "return_objective": PROPOSAL_SENT_BACK,
}
BEHIND = {"at_risk", "off_track"}


def events_of_change(
    action: str, object_type: str, before: dict[str, Any] | None, after: dict[str, Any] | None
) -> list[str]:
    """Return the events one audit row stands for (risk events are worked out apart)."""
    before, after = before or {}, after or {}
    if object_type == "objective":
        if action in CREATING_ACTIONS:
            return [OBJECTIVE_CREATED]
        found = [PROPOSAL_ACTIONS[action]] if action in PROPOSAL_ACTIONS else []
        if before and after and before.get("state") != after.get("state"):
            found.append(OBJECTIVE_STATUS_CHANGED)
        if action not in PROPOSAL_ACTIONS:
            found.append(OBJECTIVE_CHANGED)
        return found
    if object_type == "keyresult" and action == "record_key_result_value":
        return [VALUE_RECORDED]
    if object_type == "checkin" and action == "submit_checkin":
        return [CHECKIN_SUBMITTED]
    if object_type == "cycle" and action == "close_cycle":
        return [CYCLE_CLOSED]
    return []


def risk_event(status_before: str | None, status_after: str | None) -> str | None:
    """Return risk.raised when a key result falls behind, risk.cleared when it is back on track."""
    was_behind = status_before in BEHIND
    is_behind = status_after in BEHIND
    if is_behind and not was_behind:
        return RISK_RAISED
    if was_behind and not is_behind:
        return RISK_CLEARED
    return None


def changed_fields(before: dict[str, Any] | None, after: dict[str, Any] | None) -> dict[str, Any]:
    """Return {field: [before, after]} for the fields a change touched (version left out)."""
    before, after = before or {}, after or {}
    skip = {"version", "updated_at", "created_at"}
    return {
        key: [before.get(key), after.get(key)]
        for key in sorted(set(before) | set(after))
        if key not in skip and before.get(key) != after.get(key)
    }
