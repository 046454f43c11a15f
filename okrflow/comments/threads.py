"""Read comment threads for display: a page's comments in two queries, with who may do what."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, Q
from django.utils import timezone

from okrflow.comments.actions import edit_deadline
from okrflow.comments.models import Comment, CommentMention
from okrflow.engine.mentions import Mention, split_text
from okrflow.okrs.models import KeyResult, Objective
from okrflow.org.access import access_for


@dataclass
class ShownComment:
    comment: Comment
    pieces: list[Any]  # plain strings and (Mention, Person) pairs
    can_edit: bool
    can_delete: bool


@dataclass
class Thread:
    """One objective's or key result's comments, and whether the reader may add one."""

    objective: Objective
    key_result: KeyResult | None
    comments: list[ShownComment] = field(default_factory=list)
    can_comment: bool = False

    @property
    def dom_id(self) -> str:
        if self.key_result is not None:
            return f"comments-kr-{self.key_result.pk}"
        return f"comments-objective-{self.objective.pk}"

    @property
    def count(self) -> int:
        return sum(1 for shown in self.comments if not shown.comment.is_deleted)


def pieces_of(comment: Comment) -> list[Any]:
    rows = list(comment.mention_rows.all())
    people = {(row.start, row.end): row.person for row in rows}
    mentions = [Mention(row.start, row.end, row.person_id) for row in rows]
    return [
        piece if isinstance(piece, str) else (piece, people[(piece.start, piece.end)])
        for piece in split_text(comment.body, mentions)
    ]


def show(user: Any, comment: Comment, now: Any) -> ShownComment:
    access = access_for(user)
    me = access.person.pk if access.person else None
    mine = me is not None and comment.author_id == me
    alive = not comment.is_deleted
    return ShownComment(
        comment,
        pieces_of(comment) if alive else [],
        can_edit=mine and alive and now <= edit_deadline(comment),
        can_delete=alive and (mine or access.is_admin),
    )


def comments_query() -> Any:
    return Comment.objects.select_related("author", "deleted_by__person").prefetch_related(
        Prefetch("mention_rows", queryset=CommentMention.objects.select_related("person"))
    )


def threads_of(user: Any, objective: Objective, key_results: list[KeyResult]) -> dict[Any, Thread]:
    """Return the objective's thread (key None) and each key result's (key: its id).

    The caller has checked the user may see the objective; everyone who may see it may comment.
    """
    can_comment = access_for(user).person is not None
    threads: dict[Any, Thread] = {None: Thread(objective, None, can_comment=can_comment)}
    for kr in key_results:
        threads[kr.pk] = Thread(objective, kr, can_comment=can_comment)
    now = timezone.now()
    rows = comments_query().filter(
        Q(objective=objective) | Q(key_result_id__in=[kr.pk for kr in key_results])
    )
    grouped: dict[Any, list[ShownComment]] = defaultdict(list)
    for comment in rows:
        grouped[comment.key_result_id].append(show(user, comment, now))
    for key, shown in grouped.items():
        if key in threads:
            threads[key].comments = shown
    return threads


def thread_of(user: Any, comment: Comment) -> Thread:
    """Return the whole thread a comment belongs to (for an htmx swap)."""
    objective = comment.objective or comment.key_result.objective  # type: ignore[union-attr]
    key_results = [comment.key_result] if comment.key_result is not None else []
    return threads_of(user, objective, key_results)[comment.key_result_id]


def shown_comment(user: Any, comment: Comment) -> ShownComment:
    fresh = comments_query().get(pk=comment.pk)
    return show(user, fresh, timezone.now())
