"""The demo's comment threads: written by their people, mentions resolved to people, told."""

from __future__ import annotations

import pytest

from okrflow.comments.models import Comment
from okrflow.notifications.models import Notification


@pytest.mark.django_db
def test_demo_comments_mention_people_who_are_told(demo_org: object) -> None:
    comments = list(Comment.objects.select_related("author").prefetch_related("mentions"))
    assert len(comments) == 4
    mentioned = {person.full_name for comment in comments for person in comment.mentions.all()}
    assert mentioned == {"Phan Ngọc Trâm", "Trịnh Gia Huy", "Lê Thu Hà", "Vũ Đức Thắng"}
    assert any(comment.key_result_id for comment in comments)
    assert "\n" in comments[1].body
    told = Notification.objects.filter(kind="mention", recipient__full_name="Phan Ngọc Trâm")
    assert told.get().params["author"] == "Lê Thu Hà"
