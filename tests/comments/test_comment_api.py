"""Comments through the API: listed and added exactly where the pages allow."""

from __future__ import annotations

from okrflow.comments.actions import add_comment, delete_comment
from okrflow.comments.models import Comment
from okrflow.notifications.models import Notification
from tests.api.conftest import api_for
from tests.conftest import World, make_objective


def test_add_and_list_comments_on_an_objective_and_a_key_result(world: World) -> None:
    objective = make_objective(world, world.member)
    kr = objective.key_results.get()
    api = api_for(world.lead)
    made = api.post(
        f"/objectives/{objective.pk}/comments",
        {"body": "Cảm ơn @specialist marketing", "mention_ids": [world.member.pk]},
    )
    assert made.status_code == 201, made.content
    data = made.json()
    assert data["author_name"] == "Head Marketing" and data["objective_id"] == objective.pk
    assert data["mentions"] == [
        {"person_id": world.member.pk, "full_name": "Specialist Marketing", "start": 7, "end": 28}
    ]
    assert Notification.objects.filter(recipient=world.member, kind="mention").exists()
    assert api.post(f"/key-results/{kr.pk}/comments", {"body": "On the KR"}).status_code == 201
    listed = api_for(world.outsider).get(f"/objectives/{objective.pk}/comments").json()["items"]
    assert [item["body"] for item in listed] == ["Cảm ơn @specialist marketing"]
    on_kr = api_for(world.outsider).get(f"/key-results/{kr.pk}/comments").json()["items"]
    assert [item["body"] for item in on_kr] == ["On the KR"]


def test_a_deleted_comment_is_listed_without_its_body(world: World) -> None:
    objective = make_objective(world, world.member)
    delete_comment(world.member.user, add_comment(world.member.user, objective=objective, body="x"))
    item = api_for(world.lead).get(f"/objectives/{objective.pk}/comments").json()["items"][0]
    assert item["body"] == "" and item["deleted_at"] is not None


def test_bad_comments_are_refused_with_a_problem(world: World) -> None:
    objective = make_objective(world, world.member)
    api = api_for(world.member)
    for body in ({"body": ""}, {"body": "x" * 5001}, {"body": "x", "extra": 1}, {}):
        response = api.post(f"/objectives/{objective.pk}/comments", body)
        assert response.status_code == 422, body
        assert response["Content-Type"] == "application/problem+json"
    blank = api.post(f"/objectives/{objective.pk}/comments", {"body": "   "})
    assert blank.status_code == 422
    assert not Comment.objects.exists()


def test_the_outsider_reads_nothing_of_a_private_objective(world: World) -> None:
    objective = make_objective(world, world.member, is_private=True)
    kr = objective.key_results.get()
    add_comment(world.lead.user, objective=objective, body="Zqvapi private words")
    add_comment(world.lead.user, key_result=kr, body="Zqvapi on the KR")
    outsider = api_for(world.outsider)
    for path in (f"/objectives/{objective.pk}/comments", f"/key-results/{kr.pk}/comments"):
        response = outsider.get(path)
        assert response.status_code == 404 and "Zqvapi" not in response.content.decode()
        assert outsider.post(path, {"body": "hi"}).status_code == 404
    assert Comment.objects.count() == 2
    lead_view = api_for(world.lead).get(f"/objectives/{objective.pk}/comments").content.decode()
    assert "Zqvapi private words" in lead_view
