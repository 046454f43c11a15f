"""One reading of ids and numbers, one cleaning of text: the same answer on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import time_machine
from django.test import Client, RequestFactory

from okrflow.checkins.models import CheckIn, CheckInFeedback
from okrflow.engine.text import clean_text
from okrflow.front.params import MAX_ID, parse_id, safe_next, version_or_400
from okrflow.insights.actions import save_reflection
from okrflow.insights.models import Reflection
from okrflow.okrs.actions import create_initiative
from okrflow.okrs.models import Objective
from tests.checkins.conftest import (
    WEDNESDAY,
    Krs,
    make_member_krs,
    signed_in,
    submit_member_checkin,
)
from tests.conftest import World, make_objective


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("42", 42),
        (" 7 ", 7),
        ("0", 0),
        (str(MAX_ID), MAX_ID),
        (str(MAX_ID + 1), None),
        ("9" * 40, None),
        ("²", None),
        ("٣", None),  # an Arabic-Indic digit: int() reads it, an id never has it
        ("-1", None),
        ("+1", None),
        ("1e3", None),
        ("1.0", None),
        ("", None),
        ("\x00", None),
        (None, None),
        (True, None),
        (12, 12),
        (-3, None),
    ],
)
def test_parse_id_reads_only_ascii_digits_within_64_bits(raw: object, expected: int | None) -> None:
    assert parse_id(raw) == expected


def test_version_is_absent_or_a_number_else_400() -> None:
    from django.core.exceptions import BadRequest

    assert version_or_400("") is None
    assert version_or_400("3") == 3
    with pytest.raises(BadRequest):
        version_or_400("abc")
    with pytest.raises(BadRequest):
        version_or_400("²")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("/checkins/", "/checkins/"),
        ("abc", "/"),
        ("//evil.example/", "/"),
        ("https://evil.example/", "/"),
        ("javascript:alert(1)", "/"),
        ("", "/"),
        (None, "/"),
    ],
)
def test_next_stays_on_this_site(raw: object, expected: str) -> None:
    request = RequestFactory().post("/language/")
    assert safe_next(request, raw, "/") == expected


def test_clean_text_keeps_lines_and_tabs_and_drops_other_controls() -> None:
    assert clean_text("a\x00b\x07c\td\ne\rf\x7f\x1b") == "abc\td\ne\rf"
    assert clean_text("Đào tạo ‮ <b>") == "Đào tạo ‮ <b>"


@pytest.fixture
def krs(world: World) -> Iterator[Krs]:
    with time_machine.travel(WEDNESDAY, tick=False):
        yield make_member_krs(world)


@pytest.mark.django_db
def test_language_switch_with_a_bare_word_as_next_redirects_home(
    client: Client, world: World
) -> None:
    signed_in(client, world.member)
    response = client.post("/language/", {"language": "en", "next": "abc"})
    assert response.status_code == 302 and response["Location"] == "/"


@pytest.mark.django_db
@pytest.mark.parametrize("cycle", ["²", "9" * 30, "-1", "%00"])
def test_odd_cycle_ids_fall_back_to_the_current_cycle(
    client: Client, world: World, cycle: str
) -> None:
    signed_in(client, world.member)
    for url in ("/", "/my/", "/company/", "/insights/", "/checkins/", "/library/export/"):
        assert client.get(url, {"cycle": cycle}).status_code in (200, 302), url


@pytest.mark.django_db
def test_a_comment_with_nul_and_controls_is_stored_clean(
    client: Client, world: World, krs: Krs
) -> None:
    checkin: CheckIn = submit_member_checkin(world, krs)
    signed_in(client, world.lead)
    response = client.post(
        f"/checkins/{checkin.pk}/comment/", {"body": "Good\x00 work\x1b\nnext\tweek"}
    )
    assert response.status_code == 302
    assert CheckInFeedback.objects.get(checkin=checkin).body == "Good work\nnext\tweek"


@pytest.mark.django_db
def test_a_comment_of_only_controls_is_refused_and_nothing_is_stored(
    client: Client, world: World, krs: Krs
) -> None:
    checkin = submit_member_checkin(world, krs)
    signed_in(client, world.lead)
    response = client.post(f"/checkins/{checkin.pk}/comment/", {"body": "\x00\x01\x02"})
    assert response.status_code < 500
    assert not CheckInFeedback.objects.filter(checkin=checkin).exists()


@pytest.mark.django_db
def test_actions_called_outside_the_web_store_clean_text_too(world: World) -> None:
    """Imports, the CLI and the demo call actions directly: the save itself cleans the text."""
    objective = make_objective(world, world.member, title="Grow\x00 the\x0b brand")
    objective.refresh_from_db()
    assert objective.title == "Grow the brand"
    initiative = create_initiative(None, objective.key_results.get(), title="Hire\x00 a writer")
    initiative.refresh_from_db()
    assert initiative.title == "Hire a writer"
    save_reflection(None, objective, went_well="Lines\x00\nkept", went_badly="", lessons="")
    assert Reflection.objects.get(objective=objective).went_well == "Lines\nkept"


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/search/", "/people/"])
def test_a_search_longer_than_sqlite_allows_in_like_is_answered(
    client: Client, world: World, url: str
) -> None:
    signed_in(client, world.member)
    assert client.get(url, {"q": "x" * 70_000}).status_code == 200


@pytest.mark.django_db
def test_an_unreadable_version_is_a_400_and_saves_nothing(client: Client, world: World) -> None:
    objective = make_objective(world, world.member)
    signed_in(client, world.member)
    for version in ("abc", "²", "9" * 30):
        response = client.post(
            f"/insights/objectives/{objective.pk}/reflection/",
            {"went_well": "x", "went_badly": "", "lessons": "", "version": version},
        )
        assert response.status_code == 400
    assert not Reflection.objects.filter(objective=objective).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("cycle", ["abc", "²", "9" * 30, ""])
def test_carry_over_to_an_unreadable_cycle_asks_for_one(
    client: Client, world: World, cycle: str
) -> None:
    objective = make_objective(world, world.member)
    signed_in(client, world.member)
    response = client.post(f"/insights/objectives/{objective.pk}/carry-over/", {"cycle": cycle})
    assert response.status_code == 302
    assert Objective.objects.count() == 1
