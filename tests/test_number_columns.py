"""Every number a person types is checked against the column that stores it.

The same message comes from the action, the web forms, the CLI and the import (whose dry run
meets exactly the checks of the real run); a refused number saves nothing, and the pages that
read the numbers back keep working on both databases.
"""

from __future__ import annotations

import datetime
import io
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import models
from django.test import Client
from django.utils import translation

from okrflow.action_support import column_problem, to_decimal
from okrflow.audit.models import AuditEntry
from okrflow.checkins.actions import record_checkin
from okrflow.checkins.models import CheckIn, KeyResultCheckIn
from okrflow.okrs.actions import (
    align_objective,
    change_key_result_target,
    create_key_result,
    create_objective,
    record_key_result_value,
    update_key_result,
)
from okrflow.okrs.models import (
    Alignment,
    KeyResult,
    KeyResultValue,
    Objective,
    ObjectiveState,
    TargetVersion,
)
from okrflow.org.models import Organisation
from tests.checkins.conftest import WEEK, checkin_data
from tests.conftest import PASSWORD, World, make_objective

WEIGHT_PLACES = "Weight: use at most 2 decimal places."
WEIGHT_TOO_BIG = "Weight must be less than 10,000."


def messages_of(error: ValidationError) -> list[str]:
    return [m for messages in error.message_dict.values() for m in messages]


def saved_counts() -> tuple[int, ...]:
    return tuple(
        model.objects.count()
        for model in (
            Objective,
            KeyResult,
            KeyResultValue,
            Alignment,
            TargetVersion,
            CheckIn,
            KeyResultCheckIn,
            AuditEntry,
        )
    )


def signed_in(client: Client, world: World, persona: str) -> Client:
    assert client.login(username=getattr(world, persona).user.username, password=PASSWORD)
    return client


# --- the rule itself, derived from each model field --------------------------------------------


def numeric_columns() -> list[models.Field[Any, Any]]:
    """Every decimal and integer column of okrflow's own models (a new one is included)."""
    return [
        field
        for model in apps.get_models()
        if model.__module__.startswith("okrflow.")
        for field in model._meta.concrete_fields
        if isinstance(field, models.DecimalField | models.IntegerField)
        and not isinstance(field, models.AutoField | models.BigAutoField)
        and not field.is_relation
    ]


def test_numeric_columns_are_found() -> None:
    names = {f"{field.model.__name__}.{field.name}" for field in numeric_columns()}
    assert {
        "KeyResult.weight",
        "KeyResult.start_value",
        "KeyResult.relative_change",
        "KeyResult.per_period",
        "Alignment.weight",
        "KeyResultValue.value",
        "TargetVersion.new_target",
        "KeyResultCheckIn.value",
        "CheckIn.confidence",
        "Organisation.at_risk_gap",
        "Cycle.checkin_hour",
    } <= names


@pytest.mark.parametrize("column", numeric_columns(), ids=lambda f: f"{f.model.__name__}.{f.name}")
def test_every_numeric_column_refuses_what_it_cannot_store(column: models.Field[Any, Any]) -> None:
    """One decimal place too many and one step past the largest value are refused; the edge is not."""
    places = column.decimal_places if isinstance(column, models.DecimalField) else 0
    step = Decimal(1).scaleb(-places)
    if isinstance(column, models.DecimalField):
        limit = Decimal(10) ** (column.max_digits - places)
        beyond = limit
        largest = limit - step
        if column.max_digits - places > 15:  # SQLite keeps 15 significant digits
            largest = limit - 10 ** (column.max_digits - places - 15)
    else:
        largest = Decimal(2**63)
        beyond = largest + 1
    for validator in column.validators:
        if type(validator).__name__ == "MaxValueValidator":
            largest = min(largest, Decimal(str(validator.limit_value)))
            beyond = largest + step
    assert column_problem(largest, column) is None
    assert column_problem(beyond, column)
    assert column_problem(step / 10, column)


@pytest.mark.parametrize(
    ("typed", "language", "message"),
    [
        ("0,00001", "vi", "Trọng số: dùng tối đa 2 chữ số thập phân."),
        ("0,004", "vi", "Trọng số: dùng tối đa 2 chữ số thập phân."),
        ("99999", "vi", "Trọng số phải nhỏ hơn 10.000."),
        ("10.000", "vi", "Trọng số phải nhỏ hơn 10.000."),
        ("0.004", "en", WEIGHT_PLACES),
        ("10000", "en", WEIGHT_TOO_BIG),
    ],
)
def test_weight_messages_in_the_persons_language(typed: str, language: str, message: str) -> None:
    with translation.override(language), pytest.raises(ValidationError) as error:
        to_decimal(typed, "weight", column=KeyResult._meta.get_field("weight"))
    assert messages_of(error.value) == [message]


def test_the_largest_and_smallest_weights_are_accepted() -> None:
    column = KeyResult._meta.get_field("weight")
    assert to_decimal("9999.99", "weight", column=column) == Decimal("9999.99")
    assert to_decimal("0.01", "weight", column=column) == Decimal("0.01")
    assert to_decimal("1.50", "weight", column=column) == Decimal("1.50")


# --- through the actions ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"weight": "0.00001"}, WEIGHT_PLACES),
        ({"weight": "0.004"}, WEIGHT_PLACES),
        ({"weight": "99999"}, WEIGHT_TOO_BIG),
        ({"weight": "10000"}, WEIGHT_TOO_BIG),
        ({"start_value": "1.00001"}, "Start value: use at most 4 decimal places."),
        ({"target_value": "0.123456"}, "Target value: use at most 4 decimal places."),
        ({"current_value": "3.14159"}, "Current value: use at most 4 decimal places."),
        # start and target closer than the column's precision would be equal once stored
        (
            {"start_value": "1.00001", "target_value": "1.00002"},
            "Start value: use at most 4 decimal places.",
        ),
        (
            {"shape": "relative", "start_value": "100", "relative_change": "10.125"},
            "Change in percent: use at most 2 decimal places.",
        ),
        (
            {"shape": "relative", "start_value": "100", "relative_change": "10000000"},
            "Change in percent must be less than 10,000,000.",
        ),
        # a computed figure must fit too: this relative target would be 1.8 × 10^16
        (
            {"shape": "relative", "start_value": "9000000000000000", "relative_change": "100"},
            "Target value must be less than 10,000,000,000,000,000.",
        ),
        # start and target equal once the computed target is rounded to the column
        (
            {"shape": "relative", "start_value": "0.0001", "relative_change": "1"},
            "The target must differ from the starting value.",
        ),
        (
            {"shape": "recurring", "per_period": "1.5", "period": "week"},
            "Enter a whole number of times, at least 1.",
        ),
    ],
)
def test_create_key_result_refuses_numbers_its_columns_cannot_store(
    world: World, fields: dict[str, str], message: str
) -> None:
    objective = make_objective(world, world.member)
    figures = {"start_value": "0", "target_value": "10"} | fields
    if figures.get("shape") in ("relative", "recurring"):
        figures.pop("target_value")
    if figures.get("shape") == "recurring":
        figures.pop("start_value")
    before = saved_counts()
    with pytest.raises(ValidationError) as error:
        create_key_result(world.member.user, objective, title="Visits", **figures)
    assert message in messages_of(error.value)
    assert saved_counts() == before


def test_update_key_result_refuses_a_weight_that_would_round_to_zero(world: World) -> None:
    kr = make_objective(world, world.member).key_results.get()
    with pytest.raises(ValidationError) as error:
        update_key_result(world.member.user, kr, weight="0.004")
    assert messages_of(error.value) == [WEIGHT_PLACES]
    kr.refresh_from_db()
    assert (kr.weight, kr.version) == (Decimal("1.00"), 1)


def test_alignment_weight_is_checked_against_its_column(world: World) -> None:
    parent = make_objective(world, world.marketing, "Own the SEO")
    child = make_objective(world, world.member)
    for typed, message in (
        ("99999", "Contribution weight must be less than 10,000."),
        ("0.001", "Contribution weight: use at most 2 decimal places."),
    ):
        with pytest.raises(ValidationError) as error:
            align_objective(world.member.user, child, parent, weight=typed)
        assert messages_of(error.value) == [message]
    assert not Alignment.objects.exists()
    align_objective(world.member.user, child, parent, weight="9999.99")
    assert Alignment.objects.get().weight == Decimal("9999.99")


def test_values_and_targets_are_checked_against_their_columns(world: World) -> None:
    kr = make_objective(world, world.member).key_results.get()
    before = saved_counts()
    with pytest.raises(ValidationError) as error:
        record_key_result_value(world.member.user, kr, value="88.00001")
    assert messages_of(error.value) == ["Value: use at most 4 decimal places."]
    with pytest.raises(ValidationError) as error:
        change_key_result_target(world.member.user, kr, new_target="95.00001", reason="Budget")
    assert messages_of(error.value) == ["Target value: use at most 4 decimal places."]
    assert saved_counts() == before


def test_check_in_values_are_checked_against_their_column(world: World) -> None:
    import time_machine

    from tests.checkins.conftest import WEDNESDAY, make_member_krs

    with time_machine.travel(WEDNESDAY, tick=False):
        krs = make_member_krs(world)
        before = saved_counts()
        with pytest.raises(ValidationError) as error:
            record_checkin(
                world.member.user,
                person=world.member,
                cycle=world.cycle,
                week=WEEK,
                data=checkin_data(krs.all, ["2800.00001", "50", "0", "1"]),
                submit=True,
            )
    assert "Value: use at most 4 decimal places." in messages_of(error.value)
    assert saved_counts() == before


# --- the web forms ---------------------------------------------------------------------------


def editor_data(**overrides: str) -> dict[str, str]:
    return {
        "owner": "",
        "title": "Understand our customers",
        "kind": "committed",
        "kr-count": "1",
        "kr-0-title": "Survey customers",
        "kr-0-shape": "metric",
        "kr-0-direction": "increase",
        "kr-0-start_value": "0",
        "kr-0-target_value": "100",
        "kr-0-weight": "1",
    } | overrides


PAGES = ("/", "/company/", "/my/", "/insights/", "/insights/risks/")


@pytest.mark.parametrize(
    ("language", "weight", "message"),
    [
        ("vi", "0,00001", "Trọng số: dùng tối đa 2 chữ số thập phân."),
        ("vi", "0,004", "Trọng số: dùng tối đa 2 chữ số thập phân."),
        ("vi", "99999", "Trọng số phải nhỏ hơn 10.000."),
        ("en", "10000", WEIGHT_TOO_BIG),
    ],
)
def test_editor_refuses_the_testers_weights_and_every_page_still_answers(
    client: Client, world: World, language: str, weight: str, message: str
) -> None:
    world.member.language = language
    world.member.save()
    signed_in(client, world, "member")
    data = editor_data(owner=f"person:{world.member.pk}", **{"kr-0-weight": weight})
    before = saved_counts()
    response = client.post("/objectives/new/", data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert saved_counts() == before
    kr = make_objective(world, world.member).key_results.get()
    for page in PAGES:
        assert client.get(page).status_code == 200, page
    assert client.get(f"/objectives/{kr.objective_id}/").status_code == 200


def test_edge_weights_are_stored_and_read_back_on_every_page(client: Client, world: World) -> None:
    """The largest and smallest weights the column holds round-trip through every page."""
    objective = make_objective(world, world.member)
    kr = objective.key_results.get()
    update_key_result(world.member.user, kr, weight="9999.99")
    second = create_key_result(
        world.member.user,
        objective,
        title="Visits",
        start_value="0",
        target_value="1.0001",
        weight="0.01",
    ).value
    parent = make_objective(world, world.marketing, "Own the SEO")
    align_objective(world.member.user, objective, parent, weight="9999.99")
    kr.refresh_from_db()
    second.refresh_from_db()
    assert (kr.weight, second.weight, second.target_value) == (
        Decimal("9999.99"),
        Decimal("0.01"),
        Decimal("1.0001"),
    )
    signed_in(client, world, "member")
    for page in (*PAGES, f"/objectives/{objective.pk}/", f"/insights/key-results/{kr.pk}/"):
        assert client.get(page).status_code == 200, page


def test_the_other_number_forms_answer_with_the_message(client: Client, world: World) -> None:
    parent = make_objective(world, world.marketing, "Own the SEO")
    objective = make_objective(world, world.member)
    kr = objective.key_results.get()
    signed_in(client, world, "member")
    before = saved_counts()
    cases = [
        (f"/key-results/{kr.pk}/value/", {"value": "88.00001"}, "Value: use at most 4"),
        (
            f"/key-results/{kr.pk}/target/",
            {"new_target": "95.00001", "reason": "Budget", "version": str(kr.version)},
            "Target value: use at most 4",
        ),
        (
            f"/objectives/{objective.pk}/align/",
            {"parent": str(parent.pk), "primary": "1", "weight": "99999"},
            "Contribution weight must be less than 10,000.",
        ),
    ]
    for url, data, message in cases:
        response = client.post(url, data, follow=True)
        assert response.status_code < 500, url
        assert message in response.content.decode(), url
    assert saved_counts() == before


# --- imports: the dry run says what the real run says ---------------------------------------

CSV_HEADER = "scope,owner,objective,key_result,shape,start,target,due,weight\n"


def csv_file(tmp_path: Path, *rows: str) -> Path:
    file = tmp_path / "okrs.csv"
    file.write_text(CSV_HEADER + "".join(rows), encoding="utf-8")
    return file


def run_cli(*args: str) -> tuple[str, str, str | None]:
    """Run `okrflow import …`; return its output, its errors and the failure, if any."""
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import", *args, stdout=out, stderr=err)
    except CommandError as failure:
        return out.getvalue(), err.getvalue(), str(failure)
    return out.getvalue(), err.getvalue(), None


@pytest.mark.parametrize(
    ("weight", "message"),
    [("0.00001", WEIGHT_PLACES), ("0.004", WEIGHT_PLACES), ("99999", WEIGHT_TOO_BIG)],
)
def test_cli_dry_run_and_import_give_the_same_error_and_save_nothing(
    world: World, tmp_path: Path, weight: str, message: str
) -> None:
    file = csv_file(tmp_path, f"unit,Marketing,Top,Visits,metric,0,10,2026-06-30,{weight}\n")
    before = saved_counts()
    args = (str(file), "--cycle", "Q2 2026", "--lang", "en")
    dry_out, _err, dry_failure = run_cli(*args, "--dry-run")
    real_out, _err, real_failure = run_cli(*args)
    assert dry_failure and real_failure and "Nothing was imported" in real_failure
    assert message in dry_out and message in real_out
    assert "line 2" in dry_out and "line 2" in real_out
    assert saved_counts() == before


def json_file(tmp_path: Path, alignment_weight: str) -> Path:
    document = {
        "format": "okrflow-okrs",
        "version": 1,
        "objectives": [
            {"ref": "T", "title": "Top", "owner": {"kind": "unit", "name": "Marketing"}},
            {
                "ref": "C",
                "title": "Child",
                "owner": {"kind": "unit", "name": "Marketing"},
                "alignments": [{"parent": "T", "primary": True, "weight": alignment_weight}],
            },
        ],
    }
    file = tmp_path / "okrs.json"
    file.write_text(json.dumps(document), encoding="utf-8")
    return file


def test_alignment_weight_in_an_import_is_refused_by_dry_run_and_real_run(
    world: World, tmp_path: Path
) -> None:
    file = json_file(tmp_path, "99999")
    before = saved_counts()
    dry_out, _err, dry_failure = run_cli(str(file), "--cycle", "Q2 2026", "--dry-run")
    real_out, _err, real_failure = run_cli(str(file), "--cycle", "Q2 2026")
    message = "Contribution weight must be less than 10,000."
    assert dry_failure and real_failure
    assert message in dry_out and message in real_out
    assert saved_counts() == before


def test_dry_run_meets_the_checks_only_the_actions_make(world: World, tmp_path: Path) -> None:
    """A rule the preview does not know (an enforced focus limit) stops the dry run too."""
    organisation = Organisation.current()
    organisation.enforce_focus = True
    organisation.save()
    rows = [f"unit,Marketing,Top,KR {n},metric,0,10,2026-06-30,1\n" for n in range(9)]
    file = csv_file(tmp_path, *rows)
    before = saved_counts()
    dry_out, _err, dry_failure = run_cli(str(file), "--cycle", "Q2 2026", "--dry-run")
    _out, real_err, real_failure = run_cli(str(file), "--cycle", "Q2 2026")
    assert dry_failure, dry_out
    assert real_failure
    real_problems = [line.strip() for line in real_err.splitlines() if line.strip()]
    assert real_problems and all(problem in dry_out for problem in real_problems)
    assert saved_counts() == before


def test_dry_run_of_a_clean_file_saves_nothing_and_the_import_then_passes(
    world: World, tmp_path: Path
) -> None:
    file = csv_file(tmp_path, "unit,Marketing,Top,Visits,metric,0,10,2026-06-30,9999.99\n")
    before = saved_counts()
    dry_out, _err, dry_failure = run_cli(str(file), "--cycle", "Q2 2026", "--dry-run")
    assert dry_failure is None and "Dry run: nothing was saved." in dry_out
    assert saved_counts() == before
    run_cli(str(file), "--cycle", "Q2 2026")
    assert KeyResult.objects.get(title="Visits").weight == Decimal("9999.99")


def test_web_preview_shows_the_real_runs_error_and_confirm_saves_nothing(
    client: Client, world: World
) -> None:
    signed_in(client, world, "lead")
    text = CSV_HEADER + "unit,Marketing,Top,Visits,metric,0,10,2026-06-30,0.004\n"
    data = {"cycle": world.cycle.pk, "owner": "", "format": "csv", "text": text}
    before = saved_counts()
    preview = client.post("/library/import/", data | {"action": "preview"})
    assert preview.status_code == 200
    assert WEIGHT_PLACES in preview.content.decode()
    assert not preview.context["preview"].can_import
    checked = preview.context["form"].data["checked"]
    confirm = client.post("/library/import/", data | {"action": "confirm", "checked": checked})
    assert confirm.status_code == 200
    assert WEIGHT_PLACES in confirm.content.decode()
    assert saved_counts() == before


def test_web_preview_meets_an_enforced_focus_limit_like_the_import(
    client: Client, world: World
) -> None:
    organisation = Organisation.current()
    organisation.enforce_focus = True
    organisation.save()
    signed_in(client, world, "lead")
    rows = "".join(f"unit,Marketing,Top,KR {n},metric,0,10,2026-06-30,1\n" for n in range(9))
    data = {"cycle": world.cycle.pk, "owner": "", "format": "csv", "text": CSV_HEADER + rows}
    before = saved_counts()
    preview = client.post("/library/import/", data | {"action": "preview"})
    assert not preview.context["preview"].can_import
    problems = preview.context["preview"].errors
    assert problems and all(p.message in preview.content.decode() for p in problems)
    assert saved_counts() == before
    assert not Objective.objects.filter(state=ObjectiveState.DRAFT).exists()


def test_the_largest_value_round_trips_and_one_past_it_is_refused(world: World) -> None:
    objective = create_objective(
        world.member.user, cycle=world.cycle, title="Ship", owner=world.member
    ).value
    kr = create_key_result(
        world.member.user,
        objective,
        title="Ship it",
        start_value="0",
        target_value="9999999999999990",
        weight="9999.99",
        due_date=datetime.date(2026, 6, 30),
    ).value
    kr.refresh_from_db()
    assert kr.target_value == Decimal("9999999999999990")
    # SQLite would read this back as 10^16 (15 significant digits): refused on every database.
    with pytest.raises(ValidationError) as error:
        update_key_result(world.member.user, kr, start_value="9999999999999999")
    assert messages_of(error.value) == ["Start value must be less than 10,000,000,000,000,000."]


def test_closing_a_cycle_stores_a_huge_raw_progress_within_its_column(
    client: Client, world: World
) -> None:
    """Progress far beyond 100% (a tiny target, a huge value) is kept at the column's limit."""
    from okrflow.insights.actions import close_cycle
    from okrflow.insights.models import KeyResultGrade

    objective = create_objective(
        None, cycle=world.cycle, title="Tiny target", owner=world.member
    ).value
    kr = create_key_result(
        None, objective, title="Visits", start_value="0", target_value="0.0001"
    ).value
    record_key_result_value(None, kr, value="9999999999")
    close_cycle(world.admin.user, world.cycle)
    grade = KeyResultGrade.objects.get(key_result=kr)
    assert grade.progress == Decimal("99999999.9999")
    assert grade.score == Decimal("1.00")
    signed_in(client, world, "member")
    assert client.get(f"/insights/cycles/{world.cycle.pk}/review/").status_code == 200


def test_check_in_form_answers_with_the_columns_message(client: Client, world: World) -> None:
    import time_machine

    from tests.checkins.conftest import WEDNESDAY, make_member_krs

    with time_machine.travel(WEDNESDAY, tick=False):
        krs = make_member_krs(world)
        data = {"cycle": str(world.cycle.pk), "week": WEEK.isoformat(), "action": "submit"}
        for kr, value in zip(krs.all, ["2800.00001", "50", "0", "1"], strict=True):
            data |= {f"kr-{kr.pk}-value": value, f"kr-{kr.pk}-confidence": "medium"}
        data |= {"progress": "Moving", "obstacles": "", "solutions": "", "confidence": "high"}
        before = saved_counts()
        response = signed_in(client, world, "member").post("/checkins/", data)
    assert response.status_code == 200
    assert "Value: use at most 4 decimal places." in response.content.decode()
    assert saved_counts() == before
