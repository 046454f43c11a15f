"""The 1:1 page in its four phases: notes, agreed actions, ending, following up."""

from __future__ import annotations

import pytest
from django.test import Client

from okrflow.checkins.models import AgreedAction, MeetingNote, OneOnOne
from okrflow.okrs.models import Initiative
from tests.checkins.conftest import WEEK, Krs, signed_in, submit_member_checkin
from tests.conftest import World

HTMX = {"HTTP_HX_REQUEST": "true"}


def url(world: World, suffix: str = "") -> str:
    return f"/checkins/1on1/{world.member.pk}/{suffix}"


def place(world: World) -> dict[str, str]:
    return {"cycle": str(world.cycle.pk), "week": WEEK.isoformat()}


@pytest.mark.parametrize(
    ("persona", "status"), [("admin", 200), ("lead", 200), ("member", 200), ("outsider", 404)]
)
def test_meeting_page_for_each_persona(
    client: Client, world: World, krs: Krs, persona: str, status: int
) -> None:
    submit_member_checkin(world, krs)
    response = signed_in(client, getattr(world, persona)).get(url(world))
    assert response.status_code == status
    if status == 200:
        page = response.content.decode()
        assert "Reach 10,000 fanpage followers" in page
        assert "<svg" in page  # each key result's chart
        assert response.context["phase"] == "before"


def test_meeting_page_wrong_method_and_unknown_person(
    client: Client, world: World, krs: Krs
) -> None:
    signed_in(client, world.lead)
    assert client.post(url(world)).status_code == 405
    assert client.get("/checkins/1on1/999999/").status_code == 404
    assert client.get(url(world, "notes/")).status_code == 405


def test_notes_are_saved_with_and_without_htmx(client: Client, world: World, krs: Krs) -> None:
    signed_in(client, world.lead)
    data = place(world) | {"notes": "Budget talk", f"note-{krs.followers.pk}": "Ask sales"}
    response = client.post(url(world, "notes/"), data, **HTMX)
    assert response.status_code == 200
    assert "Saved" in response.content.decode()
    meeting = OneOnOne.objects.get()
    assert meeting.notes == "Budget talk"
    assert meeting.started_at is not None
    assert MeetingNote.objects.get().body == "Ask sales"
    plain = client.post(url(world, "notes/"), data | {"notes": "Second"})
    assert plain.status_code == 302
    meeting.refresh_from_db()
    assert meeting.notes == "Second"
    assert client.get(url(world)).context["phase"] == "during"


def test_notes_refused_for_an_outsider(client: Client, world: World, krs: Krs) -> None:
    signed_in(client, world.outsider)
    assert client.post(url(world, "notes/"), place(world) | {"notes": "x"}).status_code == 404
    assert not OneOnOne.objects.exists()


def action_form(world: World, krs: Krs, **extra: str) -> dict[str, str]:
    return (
        place(world)
        | {
            "key_result": str(krs.followers.pk),
            "title": "Book two influencers",
            "owner": str(world.member.pk),
            "due_date": "2026-05-22",
        }
        | extra
    )


def test_agree_action_then_end_then_follow_up(client: Client, world: World, krs: Krs) -> None:
    signed_in(client, world.lead)
    response = client.post(url(world, "actions/"), action_form(world, krs))
    assert response.status_code == 302
    initiative = Initiative.objects.get()
    assert initiative.title == "Book two influencers"
    assert AgreedAction.objects.get().initiative == initiative
    ended = client.post(url(world, "end/"), place(world) | {"next_checkin_on": "2026-05-22"})
    assert ended.status_code == 302
    meeting = OneOnOne.objects.get()
    assert meeting.phase == "after"
    assert str(meeting.next_checkin_on) == "2026-05-22"
    client.logout()
    # After: the open action follows the person to their check-in page until done.
    signed_in(client, world.member)
    mine = client.get("/checkins/").content.decode()
    assert "Book two influencers" in mine
    assert "Next check-in" in mine
    done = client.post(f"/checkins/actions/{initiative.pk}/done/", {"done": "1"}, **HTMX)
    assert done.status_code == 200
    assert "is-done" in done.content.decode()
    initiative.refresh_from_db()
    assert initiative.is_done
    assert "Book two influencers" not in client.get("/checkins/").content.decode()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("title", "", "Describe the work."),
        ("due_date", "2026-05-01", "The due date has already passed."),
        ("owner", "999999", "Give the action to the person or their manager."),
        ("key_result", "999999", "Choose one of the key results."),
    ],
)
def test_bad_action_rerenders_with_the_error(
    client: Client, world: World, krs: Krs, field: str, value: str, message: str
) -> None:
    signed_in(client, world.lead)
    response = client.post(url(world, "actions/"), action_form(world, krs, **{field: value}))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Initiative.objects.exists()


@pytest.mark.parametrize(
    ("persona", "status"), [("admin", 302), ("lead", 302), ("member", 403), ("outsider", 404)]
)
def test_who_may_end_the_meeting(
    client: Client, world: World, krs: Krs, persona: str, status: int
) -> None:
    response = signed_in(client, getattr(world, persona)).post(
        url(world, "end/"), place(world) | {"next_checkin_on": "2026-05-22"}
    )
    assert response.status_code == status
    ended = OneOnOne.objects.filter(ended_at__isnull=False).exists()
    assert ended is (status == 302)


def test_ending_without_a_date_explains(client: Client, world: World, krs: Krs) -> None:
    signed_in(client, world.lead)
    response = client.post(url(world, "end/"), place(world) | {"next_checkin_on": ""})
    assert response.status_code == 200
    assert "Set the date of the next check-in." in response.content.decode()


def test_action_done_needs_rights(client: Client, world: World, krs: Krs) -> None:
    signed_in(client, world.lead)
    client.post(url(world, "actions/"), action_form(world, krs))
    initiative = Initiative.objects.get()
    client.logout()
    signed_in(client, world.outsider)
    assert client.post(f"/checkins/actions/{initiative.pk}/done/").status_code == 403
    initiative.refresh_from_db()
    assert not initiative.is_done
    assert client.get(f"/checkins/actions/{initiative.pk}/done/").status_code == 405
    client.logout()
    signed_in(client, world.member)
    back = client.post(
        f"/checkins/actions/{initiative.pk}/done/", {"done": "1", "next": "https://evil.example/"}
    )
    assert back["Location"] == "/checkins/"
    initiative.refresh_from_db()
    assert initiative.is_done
