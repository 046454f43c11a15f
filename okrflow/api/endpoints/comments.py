"""Comments on objectives and key results: list and add, scoped exactly like the pages."""

from __future__ import annotations

import datetime
from typing import Annotated, Any

from django.db.models import Prefetch
from django.http import HttpRequest
from ninja import Path, Router, Schema, Status
from pydantic import AfterValidator, Field

from okrflow.api.endpoints.common import (
    PageQuery,
    answers,
    member_access,
    page,
    visible_key_result,
    visible_objective,
)
from okrflow.api.pagination import page_of
from okrflow.api.schemas import Id, Input
from okrflow.comments.actions import add_comment
from okrflow.comments.models import BODY_MAX_LENGTH, Comment, CommentMention
from okrflow.engine.text import clean_text
from okrflow.front.params import MAX_ID

router = Router(tags=["comments"])
ID = Path(..., ge=1, le=MAX_ID)

Body = Annotated[str, AfterValidator(clean_text), Field(min_length=1, max_length=BODY_MAX_LENGTH)]


class MentionOut(Schema):
    person_id: int
    full_name: str
    start: int  # where "@name" stands in `body` (characters, NFC)
    end: int


class CommentOut(Schema):
    id: int
    objective_id: int | None
    key_result_id: int | None
    author_id: int
    author_name: str
    body: str  # empty once deleted
    mentions: list[MentionOut]
    created_at: datetime.datetime
    edited_at: datetime.datetime | None
    deleted_at: datetime.datetime | None


class CommentPage(Schema):
    items: list[CommentOut]
    next_cursor: str | None


class CommentIn(Input):
    body: Body
    # People picked for the mentions in `body` (they win when two share a name); "@Full Name"
    # in the body is found without them too.
    mention_ids: list[Id] = Field(default=[], max_length=50)


def comment_out(comment: Comment) -> dict[str, Any]:
    return {
        "id": comment.pk,
        "objective_id": comment.objective_id,
        "key_result_id": comment.key_result_id,
        "author_id": comment.author_id,
        "author_name": comment.author.full_name,
        "body": comment.body,
        "mentions": [
            {
                "person_id": m.person_id,
                "full_name": m.person.full_name,
                "start": m.start,
                "end": m.end,
            }
            for m in comment.mention_rows.all()
        ],
        "created_at": comment.created_at,
        "edited_at": comment.edited_at,
        "deleted_at": comment.deleted_at,
    }


def comments(request: HttpRequest) -> Any:
    member_access(request)
    return (
        Comment.objects.visible_to(request.user)
        .select_related("author")
        .prefetch_related(
            Prefetch("mention_rows", queryset=CommentMention.objects.select_related("person"))
        )
    )


def fresh(request: HttpRequest, comment: Comment) -> dict[str, Any]:
    return comment_out(comments(request).get(pk=comment.pk))


@router.get(
    "/objectives/{objective_id}/comments",
    response=answers(CommentPage),
    summary="An objective's comments, oldest first",
)
def list_objective_comments(
    request: HttpRequest, params: PageQuery, objective_id: int = ID
) -> dict[str, Any]:
    objective = visible_objective(request, objective_id)
    rows, cursor = page_of(
        comments(request).filter(objective=objective), params.cursor, params.limit
    )
    return page((comment_out(row) for row in rows), cursor)


@router.post(
    "/objectives/{objective_id}/comments",
    response=answers(CommentOut, 201, write=True),
    summary="Comment on an objective (@mentions notify)",
)
def post_objective_comment(
    request: HttpRequest, payload: CommentIn, objective_id: int = ID
) -> Status:
    objective = visible_objective(request, objective_id)
    comment = add_comment(
        request.user, objective=objective, body=payload.body, mention_ids=payload.mention_ids
    )
    return Status(201, fresh(request, comment))


@router.get(
    "/key-results/{key_result_id}/comments",
    response=answers(CommentPage),
    summary="A key result's comments, oldest first",
)
def list_key_result_comments(
    request: HttpRequest, params: PageQuery, key_result_id: int = ID
) -> dict[str, Any]:
    key_result = visible_key_result(request, key_result_id)
    rows, cursor = page_of(
        comments(request).filter(key_result=key_result), params.cursor, params.limit
    )
    return page((comment_out(row) for row in rows), cursor)


@router.post(
    "/key-results/{key_result_id}/comments",
    response=answers(CommentOut, 201, write=True),
    summary="Comment on a key result (@mentions notify)",
)
def post_key_result_comment(
    request: HttpRequest, payload: CommentIn, key_result_id: int = ID
) -> Status:
    key_result = visible_key_result(request, key_result_id)
    comment = add_comment(
        request.user, key_result=key_result, body=payload.body, mention_ids=payload.mention_ids
    )
    return Status(201, fresh(request, comment))
