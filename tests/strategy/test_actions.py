"""The strategy actions (#16): mission and vision, values and themes, the value an objective serves."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from okrflow.audit.models import AuditEntry
from okrflow.org.models import Organisation
from okrflow.strategy.actions import (
    create_strategy_item,
    move_strategy_item,
    set_mission_and_vision,
    set_objective_serves,
    set_strategy_item_archived,
    update_strategy_item,
)
from okrflow.strategy.models import NAME_LENGTH, STATEMENT_LENGTH, ServedBy, Statement, StrategyItem
from tests.conftest import World, make_objective


def value(name: str = "Devoted to clients", kind: str = "value") -> StrategyItem:
    return create_strategy_item(None, kind=kind, name=name)


def test_an_admin_writes_mission_and_vision_with_an_audit_row(world: World) -> None:
    statement = set_mission_and_vision(
        world.admin.user, mission="  Clear brands  ", vision="Lead Vietnam", vision_en="Lead"
    )
    assert (statement.mission, statement.vision, statement.vision_en) == (
        "Clear brands",
        "Lead Vietnam",
        "Lead",
    )
    entry = AuditEntry.objects.get(action="set_mission_and_vision")
    assert entry.actor == world.admin.user and entry.after["mission"] == "Clear brands"
    # A second write changes the one statement of the organisation.
    set_mission_and_vision(world.admin.user, mission="Trusted brands", vision="")
    assert Statement.objects.get().mission == "Trusted brands"


@pytest.mark.parametrize("persona", ["lead", "member", "outsider"])
def test_only_admins_change_the_strategy(world: World, persona: str) -> None:
    user = getattr(world, persona).user
    item = value()
    for attempt in (
        lambda: set_mission_and_vision(user, mission="x", vision="y"),
        lambda: create_strategy_item(user, kind="value", name="Speed"),
        lambda: update_strategy_item(user, item, name="Other"),
        lambda: set_strategy_item_archived(user, item, archived=True),
        lambda: move_strategy_item(user, item, step=1),
    ):
        with pytest.raises(PermissionDenied):
            attempt()
    assert not Statement.objects.exists()
    assert list(StrategyItem.objects.values_list("name", "is_archived")) == [
        ("Devoted to clients", False)
    ]


def test_too_long_mission_is_refused_in_both_languages(world: World) -> None:
    with pytest.raises(ValidationError) as error:
        set_mission_and_vision(world.admin.user, mission="x" * (STATEMENT_LENGTH + 1), vision="")
    assert error.value.message_dict["mission"] == [f"Use at most {STATEMENT_LENGTH} characters."]
    with translation.override("vi"), pytest.raises(ValidationError) as error:
        set_mission_and_vision(world.admin.user, mission="", vision="x" * (STATEMENT_LENGTH + 1))
    assert error.value.message_dict["vision"] == [f"Chỉ dùng tối đa {STATEMENT_LENGTH} ký tự."]
    assert not Statement.objects.exists()


def test_values_and_themes_are_created_in_order_with_audit_rows(world: World) -> None:
    first = create_strategy_item(world.admin.user, kind="value", name="  Devoted   to clients ")
    second = create_strategy_item(world.admin.user, kind="value", name="Open", name_en="Open")
    theme = create_strategy_item(world.admin.user, kind="theme", name="Digital first")
    assert first.name == "Devoted to clients"
    assert (first.position, second.position, theme.position) == (0, 1, 0)
    assert AuditEntry.objects.filter(action="create_strategy_item").count() == 3


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"name": "   "}, "name", "A value or theme needs a name."),
        (
            {"name": "DEVOTED TO CLIENTS"},
            "name",
            "A value or theme named “DEVOTED TO CLIENTS” already exists.",
        ),
        ({"name": "x" * (NAME_LENGTH + 1)}, "name", f"Use at most {NAME_LENGTH} characters."),
        ({"name": "Fine", "description": "x" * 501}, "description", "Use at most 500 characters."),
        ({"name": "Fine", "kind": "slogan"}, "kind", "Choose a core value or a strategic theme."),
    ],
)
def test_bad_values_are_refused_and_nothing_is_saved(
    world: World, fields: dict[str, str], field: str, message: str
) -> None:
    value()
    with pytest.raises(ValidationError) as error:
        create_strategy_item(world.admin.user, **({"kind": "value"} | fields))
    assert error.value.message_dict[field] == [message]
    assert StrategyItem.objects.count() == 1
    assert AuditEntry.objects.filter(action="create_strategy_item").count() == 1


def test_a_duplicate_name_is_refused_in_vietnamese_too(world: World) -> None:
    value("Tận tâm")
    with translation.override("vi"), pytest.raises(ValidationError) as error:
        create_strategy_item(world.admin.user, kind="theme", name="tận tâm")
    assert error.value.message_dict["name"] == ["Đã có giá trị hoặc chủ đề tên “tận tâm”."]


def test_renaming_keeps_its_own_name_free_but_not_anothers(world: World) -> None:
    item, other = value(), value("Open")
    update_strategy_item(world.admin.user, item, name="devoted to clients", name_en="Devoted")
    item.refresh_from_db()
    assert (item.name, item.name_en) == ("devoted to clients", "Devoted")
    with pytest.raises(ValidationError):
        update_strategy_item(world.admin.user, other, name="Devoted to clients")
    other.refresh_from_db()
    assert other.name == "Open"
    assert AuditEntry.objects.filter(action="update_strategy_item").count() == 1


def test_archive_and_reorder(world: World) -> None:
    first, second, third = value("A"), value("B"), value("C")
    move_strategy_item(world.admin.user, third, step=-1)
    assert list(StrategyItem.objects.values_list("name", flat=True)) == ["A", "C", "B"]
    with pytest.raises(ValidationError, match=r"“A” is already first\."):
        move_strategy_item(world.admin.user, first, step=-1)
    set_strategy_item_archived(world.admin.user, second, archived=True)
    with pytest.raises(ValidationError, match="already archived"):
        set_strategy_item_archived(world.admin.user, second, archived=True)
    assert AuditEntry.objects.filter(action="archive_strategy_item").count() == 1
    assert AuditEntry.objects.filter(action="move_strategy_item").count() == 1


def test_a_company_objective_serves_a_value(world: World) -> None:
    item, other = value(), value("Open")
    objective = make_objective(world, world.company, "Top 3")
    set_objective_serves(world.admin.user, objective, item)
    assert ServedBy.objects.get(objective=objective).item == item
    set_objective_serves(world.admin.user, objective, other)
    assert ServedBy.objects.get(objective=objective).item == other
    set_objective_serves(world.admin.user, objective, None)
    assert not ServedBy.objects.exists()
    assert AuditEntry.objects.filter(action="set_objective_serves").count() == 3


def test_a_unit_objective_cannot_serve_a_value(world: World) -> None:
    objective = make_objective(world, world.marketing, "Be the brand they trust")
    with pytest.raises(ValidationError) as error:
        set_objective_serves(world.admin.user, objective, value())
    assert "Only a company objective can serve a core value or theme" in error.value.messages[0]
    with translation.override("vi"), pytest.raises(ValidationError) as error:
        set_objective_serves(world.admin.user, objective, StrategyItem.objects.get())
    assert "Chỉ mục tiêu cấp công ty" in error.value.messages[0]
    assert not ServedBy.objects.exists()


def test_an_archived_or_foreign_value_cannot_be_chosen(world: World) -> None:
    objective = make_objective(world, world.company, "Top 3")
    archived = value("Old")
    set_strategy_item_archived(None, archived, archived=True)
    with pytest.raises(ValidationError, match=r"“Old” is archived: choose another\."):
        set_objective_serves(world.admin.user, objective, archived)
    Organisation.current()  # ours is the first row
    elsewhere = Organisation.objects.create(name="Another company")
    foreign = StrategyItem.objects.create(organisation=elsewhere, kind="value", name="Theirs")
    with pytest.raises(ValidationError, match="not your organisation"):
        set_objective_serves(world.admin.user, objective, foreign)
    assert not ServedBy.objects.exists()


def test_a_value_already_served_stays_when_archived_later(world: World) -> None:
    objective = make_objective(world, world.company, "Top 3")
    item = value()
    set_objective_serves(None, objective, item)
    set_strategy_item_archived(None, item, archived=True)
    set_objective_serves(world.admin.user, objective, item)  # unchanged: no refusal
    assert ServedBy.objects.get().item == item


@pytest.mark.parametrize(
    ("persona", "allowed"), [("admin", True), ("lead", False), ("member", False)]
)
def test_who_may_name_the_value_of_a_company_objective(
    world: World, persona: str, allowed: bool
) -> None:
    objective = make_objective(world, world.company, "Top 3")
    item = value()
    if allowed:
        set_objective_serves(getattr(world, persona).user, objective, item)
    else:
        with pytest.raises(PermissionDenied):
            set_objective_serves(getattr(world, persona).user, objective, item)
    assert ServedBy.objects.exists() is allowed
