"""Test the focus limits on objectives per owner and key results per objective."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from okrflow.engine.focus import (
    FocusFinding,
    FocusRules,
    OwnerKind,
    check_objective_focus,
    check_owner_focus,
    is_team,
    objective_range,
)


def test_person_range_comes_from_the_individual_rules() -> None:
    assert objective_range(OwnerKind.PERSON, FocusRules()) == (1, 3)


def test_unit_range_is_three_to_five() -> None:
    assert objective_range(OwnerKind.UNIT, FocusRules()) == (3, 5)


def test_teams_and_projects_may_hold_fewer_by_default() -> None:
    assert objective_range(OwnerKind.PROJECT, FocusRules()) == (0, 5)
    assert objective_range(OwnerKind.UNIT, FocusRules(), team=True) == (0, 5)


def test_an_organisation_can_ask_teams_and_projects_for_the_minimum() -> None:
    rules = FocusRules(teams_and_projects_need_minimum=True)
    assert objective_range(OwnerKind.PROJECT, rules) == (3, 5)
    assert objective_range(OwnerKind.UNIT, rules, team=True) == (3, 5)
    assert check_owner_focus(OwnerKind.UNIT, 1, rules, team=True) == [
        FocusFinding("too_few_objectives", 1, 3, 5)
    ]


def test_a_team_with_one_objective_is_not_flagged_but_too_many_still_is() -> None:
    assert check_owner_focus(OwnerKind.UNIT, 1, team=True) == []
    assert check_owner_focus(OwnerKind.PROJECT, 0) == []
    # The finding quotes the method's 3–5 even though the minimum is waived.
    assert check_owner_focus(OwnerKind.UNIT, 6, team=True) == [
        FocusFinding("too_many_objectives", 6, 3, 5)
    ]


def test_the_person_range_ignores_the_team_flag() -> None:
    assert objective_range(OwnerKind.PERSON, FocusRules(), team=True) == (1, 3)


@pytest.mark.parametrize(("depth", "team"), [(0, False), (1, False), (2, True), (5, True)])
def test_units_below_department_level_are_teams(depth: int, team: bool) -> None:
    assert is_team(depth) is team


def test_custom_rules_change_the_ranges() -> None:
    rules = FocusRules(objectives_min=2, objectives_max=4, individual_objectives_max=2)
    assert objective_range(OwnerKind.UNIT, rules) == (2, 4)
    assert objective_range(OwnerKind.PERSON, rules) == (1, 2)


@pytest.mark.parametrize(
    ("kind", "count", "expected"),
    [
        (OwnerKind.UNIT, 2, [FocusFinding("too_few_objectives", 2, 3, 5)]),
        (OwnerKind.UNIT, 3, []),
        (OwnerKind.UNIT, 5, []),
        (OwnerKind.UNIT, 6, [FocusFinding("too_many_objectives", 6, 3, 5)]),
        (OwnerKind.PROJECT, 7, [FocusFinding("too_many_objectives", 7, 3, 5)]),
        (OwnerKind.PROJECT, 1, []),
        (OwnerKind.PERSON, 0, [FocusFinding("too_few_objectives", 0, 1, 3)]),
        (OwnerKind.PERSON, 1, []),
        (OwnerKind.PERSON, 3, []),
        (OwnerKind.PERSON, 4, [FocusFinding("too_many_objectives", 4, 1, 3)]),
    ],
)
def test_owner_focus(kind: OwnerKind, count: int, expected: list[FocusFinding]) -> None:
    assert check_owner_focus(kind, count) == expected


@pytest.mark.parametrize(
    ("count", "expected"),
    [
        (2, [FocusFinding("too_few_key_results", 2, 3, 5, "obj-1")]),
        (3, []),
        (5, []),
        (6, [FocusFinding("too_many_key_results", 6, 3, 5, "obj-1")]),
    ],
)
def test_objective_focus(count: int, expected: list[FocusFinding]) -> None:
    assert check_objective_focus(count, objective_key="obj-1") == expected


def test_objective_focus_without_key_leaves_it_empty() -> None:
    (finding,) = check_objective_focus(9)
    assert finding.objective_key is None


def test_objective_focus_uses_custom_rules() -> None:
    rules = FocusRules(key_results_min=1, key_results_max=2)
    assert check_objective_focus(2, rules) == []
    assert check_objective_focus(3, rules)[0].code == "too_many_key_results"


def test_negative_counts_are_rejected() -> None:
    with pytest.raises(ValueError, match="count"):
        check_owner_focus(OwnerKind.UNIT, -1)
    with pytest.raises(ValueError, match="count"):
        check_objective_focus(-1)


@pytest.mark.parametrize(
    "overrides",
    [
        {"objectives_min": 6},
        {"key_results_min": -1},
        {"individual_objectives_min": 4},
    ],
)
def test_rules_reject_impossible_ranges(overrides: dict[str, int]) -> None:
    with pytest.raises(ValueError, match="_min"):
        FocusRules(**overrides)


@given(
    st.sampled_from(list(OwnerKind)),
    st.integers(min_value=0, max_value=50),
    st.booleans(),
    st.booleans(),
)
def test_owner_finding_exists_exactly_outside_the_range(
    kind: OwnerKind, count: int, team: bool, need_minimum: bool
) -> None:
    rules = FocusRules(teams_and_projects_need_minimum=need_minimum)
    minimum, maximum = objective_range(kind, rules, team=team)
    findings = check_owner_focus(kind, count, rules, team=team)
    assert bool(findings) == (not minimum <= count <= maximum)
    for finding in findings:
        assert (finding.count, finding.maximum) == (count, maximum)
        assert finding.code == ("too_few_objectives" if count < minimum else "too_many_objectives")


@given(st.integers(min_value=0, max_value=50), st.integers(min_value=0, max_value=10))
def test_key_result_finding_exists_exactly_outside_the_range(count: int, low: int) -> None:
    rules = FocusRules(key_results_min=low, key_results_max=low + 2)
    findings = check_objective_focus(count, rules, objective_key=count)
    assert bool(findings) == (not low <= count <= low + 2)
    assert all(finding.objective_key == count for finding in findings)
