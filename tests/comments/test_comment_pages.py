"""Comment threads on the objective and key result pages: htmx and plain forms, four personas."""

from __future__ import annotations

import datetime
import json

import pytest
import time_machine
from django.test import Client

from okrflow.comments.actions import EDIT_WINDOW, add_comment
from okrflow.comments.models import Comment
from okrflow.org.actions import create_person
from tests.conftest import PASSWORD, World, make_objective

PERSONAS = ["admin", "lead", "member", "outsider"]
HTMX = {"HTTP_HX_REQUEST": "true"}


def as_(client: Client, world: World, persona: str) -> Client:
    assert client.login(username=getattr(world, persona).user.username, password=PASSWORD)
    return client


@pytest.mark.parametrize("persona", PERSONAS)
def test_everyone_who_sees_a_public_objective_comments_without_javascript(
    client: Client, world: World, persona: str
) -> None:
    objective = make_objective(world, world.member)
    response = as_(client, world, persona).post(
        f"/comments/objectives/{objective.pk}/", {"body": "Line one\nLine <b>two</b>"}
    )
    comment = Comment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/objectives/{objective.pk}/#comment-{comment.pk}"
    assert comment.author == getattr(world, persona)
    page = client.get(f"/objectives/{objective.pk}/").content.decode()
    assert "Line one<br>Line &lt;b&gt;two&lt;/b&gt;" in page
    assert "commented on the objective" in page  # the change history, in words


@pytest.mark.parametrize(
    ("persona", "status"), [("admin", 200), ("lead", 200), ("member", 200), ("outsider", 404)]
)
def test_a_private_objective_thread_follows_its_visibility(
    client: Client, world: World, persona: str, status: int
) -> None:
    objective = make_objective(world, world.member, is_private=True)
    comment = add_comment(world.lead.user, objective=objective, body="Zqvcomment private words")
    kr = objective.key_results.get()
    as_(client, world, persona)
    urls = [
        ("get", f"/objectives/{objective.pk}/"),
        ("get", f"/insights/key-results/{kr.pk}/"),
        ("get", f"/comments/objectives/{objective.pk}/people/?q=a"),
        ("get", f"/comments/{comment.pk}/edit/"),
        ("post", f"/comments/objectives/{objective.pk}/"),
        ("post", f"/comments/key-results/{kr.pk}/"),
        ("post", f"/comments/{comment.pk}/delete/"),
    ]
    if status == 200:
        for _method, url in urls[:3]:
            assert client.get(url).status_code == 200, url
        assert "Zqvcomment" in client.get(f"/objectives/{objective.pk}/").content.decode()
        return
    for method, url in urls:
        response = getattr(client, method)(url, {"body": "x"} if method == "post" else None)
        assert response.status_code == 404, url
        assert "Zqvcomment" not in response.content.decode()
    comment.refresh_from_db()
    assert Comment.objects.count() == 1 and comment.deleted_at is None


def test_htmx_add_swaps_the_thread_and_an_error_keeps_the_draft(
    client: Client, world: World
) -> None:
    objective = make_objective(world, world.member)
    kr = objective.key_results.get()
    as_(client, world, "lead")
    response = client.post(
        f"/comments/key-results/{kr.pk}/", {"body": "Chào @Specialist Marketing"}, **HTMX
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<div class="comment-thread" id="comments-kr-')
    assert f'href="/people/{world.member.pk}/"' in html and "@Specialist Marketing</a>" in html
    assert "<html" not in html
    # The count in the key result's "Comments (n)" summary follows, out of band.
    assert f'<span id="comments-kr-{kr.pk}-count" hx-swap-oob="true">1</span>' in html
    page = client.get(f"/objectives/{objective.pk}/").content.decode()
    assert f'<span id="comments-kr-{kr.pk}-count">1</span>' in page
    too_long = client.post(f"/comments/key-results/{kr.pk}/", {"body": "y" * 5001}, **HTMX)
    assert too_long.status_code == 422
    assert "at most 5000 characters" in too_long.content.decode()
    assert Comment.objects.count() == 1


def test_empty_comment_without_javascript_says_why(client: Client, world: World) -> None:
    objective = make_objective(world, world.member)
    response = as_(client, world, "member").post(
        f"/comments/objectives/{objective.pk}/", {"body": "  "}, follow=True
    )
    assert "Write something first." in response.content.decode()
    assert not Comment.objects.exists()


def test_edit_in_place_with_htmx_and_too_late_without(client: Client, world: World) -> None:
    objective = make_objective(world, world.member)
    noon = datetime.datetime(2026, 5, 6, 12, tzinfo=datetime.UTC)
    with time_machine.travel(noon, tick=False):
        comment = add_comment(world.member.user, objective=objective, body="first")
        as_(client, world, "member")
        form = client.get(f"/comments/{comment.pk}/edit/", **HTMX)
        assert form.status_code == 200 and "first</textarea>" in form.content.decode()
        saved = client.post(f"/comments/{comment.pk}/edit/", {"body": "second"}, **HTMX)
        assert saved.status_code == 200 and "second" in saved.content.decode()
        assert "edited" in saved.content.decode()
        assert client.get(f"/comments/{comment.pk}/edit/").status_code == 200  # the plain page
    comment.refresh_from_db()
    assert comment.body == "second"
    with time_machine.travel(noon + EDIT_WINDOW + datetime.timedelta(minutes=1), tick=False):
        assert client.get(f"/comments/{comment.pk}/edit/").status_code == 403
        late = client.post(f"/comments/{comment.pk}/edit/", {"body": "third"})
        assert late.status_code == 422
        assert "Too late to edit" in late.content.decode()
    comment.refresh_from_db()
    assert comment.body == "second"


@pytest.mark.parametrize(
    ("persona", "status"), [("admin", 302), ("lead", 403), ("member", 302), ("outsider", 403)]
)
def test_delete_by_author_or_admin_leaves_a_trace(
    client: Client, world: World, persona: str, status: int
) -> None:
    objective = make_objective(world, world.member)
    comment = add_comment(world.member.user, objective=objective, body="Gone soon")
    response = as_(client, world, persona).post(f"/comments/{comment.pk}/delete/")
    assert response.status_code == status
    comment.refresh_from_db()
    assert (comment.deleted_at is not None) is (status == 302)
    if status == 302:
        page = client.get(f"/objectives/{objective.pk}/").content.decode()
        name = getattr(world, persona).full_name
        assert f"Comment deleted by {name}" in page
        assert "Gone soon" not in page
        assert "deleted a comment on the objective" in page


def test_htmx_delete_returns_the_trace(client: Client, world: World) -> None:
    objective = make_objective(world, world.member)
    comment = add_comment(world.member.user, objective=objective, body="Gone soon")
    response = as_(client, world, "member").post(f"/comments/{comment.pk}/delete/", **HTMX)
    html = response.content.decode()
    assert (
        f'id="comment-{comment.pk}"' in html and "Comment deleted by Specialist Marketing" in html
    )


def test_wrong_methods(client: Client, world: World) -> None:
    objective = make_objective(world, world.member)
    comment = add_comment(world.member.user, objective=objective, body="x")
    as_(client, world, "member")
    assert client.get(f"/comments/objectives/{objective.pk}/").status_code == 405
    assert client.get(f"/comments/{comment.pk}/delete/").status_code == 405
    assert client.post(f"/comments/objectives/{objective.pk}/people/").status_code == 405


def test_people_to_mention_fold_diacritics(client: Client, world: World) -> None:
    create_person(None, username="ha", full_name="Đào Thị Hà", unit=world.marketing)
    objective = make_objective(world, world.member)
    response = as_(client, world, "member").get(
        f"/comments/objectives/{objective.pk}/people/", {"q": "dao thi"}
    )
    people = json.loads(response.content)["people"]
    assert [p["name"] for p in people] == ["Đào Thị Hà"]
    assert people[0]["unit"] == "Marketing"


def test_people_to_mention_on_a_private_objective_are_those_who_may_see_it(
    client: Client, world: World
) -> None:
    objective = make_objective(world, world.member, is_private=True)
    response = as_(client, world, "member").get(f"/comments/objectives/{objective.pk}/people/")
    names = {p["name"] for p in json.loads(response.content)["people"]}
    assert "Head Marketing" in names and "Admin" in names
    assert "Outsider" not in names and "Head Sales" not in names


def test_key_result_page_has_its_thread(client: Client, world: World) -> None:
    objective = make_objective(world, world.member)
    kr = objective.key_results.get()
    add_comment(world.lead.user, key_result=kr, body="On the KR")
    page = as_(client, world, "outsider").get(f"/insights/key-results/{kr.pk}/").content.decode()
    assert "On the KR" in page and 'name="page" value="kr"' in page
    response = client.post(f"/comments/key-results/{kr.pk}/", {"body": "x", "page": "kr"})
    assert response["Location"].startswith(f"/insights/key-results/{kr.pk}/#comment-")


def test_objective_page_queries_do_not_grow_with_comments(
    client: Client, world: World, django_assert_max_num_queries: object
) -> None:
    objective = make_objective(world, world.member)
    kr = objective.key_results.get()
    as_(client, world, "lead")
    client.get(f"/objectives/{objective.pk}/")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(f"/objectives/{objective.pk}/")
    for index in range(12):
        add_comment(
            world.member.user,
            objective=objective if index % 2 else None,
            key_result=None if index % 2 else kr,
            body=f"Comment {index} for @Head Marketing and @Writer Content",
        )
    # Two more with comments, however many: their mentions, and the history's mentioned names.
    with django_assert_max_num_queries(len(few) + 2):  # type: ignore[operator]
        page = client.get(f"/objectives/{objective.pk}/").content.decode()
    assert page.count("@Writer Content</a>") == 12


def test_change_history_says_in_words_what_happened_to_comments(
    client: Client, world: World
) -> None:
    objective = make_objective(world, world.member)
    kr = objective.key_results.get()
    comment = add_comment(world.lead.user, key_result=kr, body="Hỏi @Specialist Marketing")
    as_(client, world, "lead").post(f"/comments/{comment.pk}/edit/", {"body": "Hỏi lại"})
    page = as_(client, world, "member").get(f"/objectives/{objective.pk}/").content.decode()
    assert (
        f'<a href="#comment-{comment.pk}">commented on the key result '
        "“Raise retention from 80% to 95%”, mentioning Specialist Marketing</a>"
    ) in page
    assert "edited a comment on the key result" in page
    assert "<code>add_comment</code>" not in page
