"""Comments on an objective or a key result, and the people they mention."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

BODY_MAX_LENGTH = 5000


class CommentQuerySet(models.QuerySet["Comment"]):
    def visible_to(self, user: Any) -> CommentQuerySet:
        """Return the comments on objectives (and their key results) this user may see."""
        from okrflow.okrs.models import Objective

        visible = Objective.objects.visible_to(user).values("pk")
        return self.filter(
            models.Q(objective__in=visible) | models.Q(key_result__objective__in=visible)
        )


class Comment(models.Model):
    """A comment on exactly one objective or key result; seen by whoever may see the objective.

    Deleting keeps the row (the thread says who deleted it) but empties the body.
    """

    objective = models.ForeignKey(
        "okrs.Objective",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="comments",
        verbose_name=_("objective"),
    )
    key_result = models.ForeignKey(
        "okrs.KeyResult",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="comments",
        verbose_name=_("key result"),
    )
    author = models.ForeignKey(
        "org.Person", on_delete=models.PROTECT, related_name="comments", verbose_name=_("author")
    )
    body = models.TextField(_("comment"), blank=True)
    mentions = models.ManyToManyField(
        "org.Person",
        through="CommentMention",
        related_name="mentioned_in",
        blank=True,
        verbose_name=_("mentions"),
    )
    created_at = models.DateTimeField(_("written at"), auto_now_add=True)
    edited_at = models.DateTimeField(_("edited at"), null=True, blank=True)
    deleted_at = models.DateTimeField(_("deleted at"), null=True, blank=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("deleted by"),
    )

    objects = CommentQuerySet.as_manager()

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(objective__isnull=False, key_result__isnull=True)
                | models.Q(objective__isnull=True, key_result__isnull=False),
                name="comment_exactly_one_thing",
            ),
            models.CheckConstraint(
                condition=models.Q(deleted_at__isnull=True) | models.Q(body=""),
                name="comment_deleted_has_no_body",
            ),
        ]
        indexes = [
            # The objective page reads the threads of one objective and of its key results.
            models.Index(fields=["objective", "created_at"], name="comment_objective_thread"),
            models.Index(fields=["key_result", "created_at"], name="comment_kr_thread"),
        ]

    def __str__(self) -> str:
        return f"comment {self.pk} on {self.objective_id or self.key_result_id}"

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    @property
    def thread_objective_id(self) -> int:
        """The objective whose page shows this comment (its own, or its key result's)."""
        if self.objective_id is not None:
            return self.objective_id
        return self.key_result.objective_id  # type: ignore[union-attr]


class CommentMention(models.Model):
    """A person named in a comment, with where the name stands in the body."""

    comment = models.ForeignKey(
        Comment, on_delete=models.CASCADE, related_name="mention_rows", verbose_name=_("comment")
    )
    person = models.ForeignKey(
        "org.Person",
        on_delete=models.PROTECT,
        related_name="comment_mention_rows",
        verbose_name=_("person"),
    )
    start = models.PositiveIntegerField(_("start"))
    end = models.PositiveIntegerField(_("end"))

    class Meta:
        verbose_name = _("mention")
        verbose_name_plural = _("mentions")
        ordering = ["comment", "start"]
        constraints = [
            models.UniqueConstraint(fields=["comment", "start"], name="mention_once_per_place"),
            models.CheckConstraint(
                condition=models.Q(end__gt=models.F("start")), name="mention_span"
            ),
        ]

    def __str__(self) -> str:
        return f"@{self.person_id} in {self.comment_id}"
