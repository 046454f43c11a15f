"""A hand-off between goals: an objective or key result that waits for another one by a date."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from okrflow.okrs.models import KeyResult, Objective


class Dependency(models.Model):
    """One goal (objective or key result) waits for another goal of a different owner.

    Not an alignment: both keep their own parents. Exactly one dependent and one target are set.
    """

    dependent_objective = models.ForeignKey(
        Objective,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="dependencies",
        verbose_name=_("waiting objective"),
    )
    dependent_key_result = models.ForeignKey(
        KeyResult,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="dependencies",
        verbose_name=_("waiting key result"),
    )
    target_objective = models.ForeignKey(
        Objective,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="dependents",
        verbose_name=_("objective waited for"),
    )
    target_key_result = models.ForeignKey(
        KeyResult,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="dependents",
        verbose_name=_("key result waited for"),
    )
    expected_by = models.DateField(_("expected by"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("dependency")
        verbose_name_plural = _("dependencies")
        ordering = ["expected_by", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(dependent_objective__isnull=False, dependent_key_result__isnull=True)
                | Q(dependent_objective__isnull=True, dependent_key_result__isnull=False),
                name="dependency_one_dependent",
            ),
            models.CheckConstraint(
                condition=Q(target_objective__isnull=False, target_key_result__isnull=True)
                | Q(target_objective__isnull=True, target_key_result__isnull=False),
                name="dependency_one_target",
            ),
            # One link per pair: the four conditional constraints cover each kind of pair.
            *[
                models.UniqueConstraint(
                    fields=[f"dependent_{a}", f"target_{b}"],
                    condition=Q(**{f"dependent_{a}__isnull": False, f"target_{b}__isnull": False}),
                    name=f"dependency_once_{a}_{b}",
                )
                for a in ("objective", "key_result")
                for b in ("objective", "key_result")
            ],
        ]

    def __str__(self) -> str:
        return f"{self.dependent_label} → {self.target_label}"

    @property
    def dependent(self) -> Objective | KeyResult:
        return self.dependent_objective or self.dependent_key_result  # type: ignore[return-value]

    @property
    def target(self) -> Objective | KeyResult:
        return self.target_objective or self.target_key_result  # type: ignore[return-value]

    @property
    def dependent_node(self) -> tuple[str, int]:
        if self.dependent_objective_id:
            return ("objective", self.dependent_objective_id)
        return ("key_result", self.dependent_key_result_id or 0)

    @property
    def target_node(self) -> tuple[str, int]:
        if self.target_objective_id:
            return ("objective", self.target_objective_id)
        return ("key_result", self.target_key_result_id or 0)

    @property
    def dependent_label(self) -> str:
        return self.dependent.title

    @property
    def target_label(self) -> str:
        return self.target.title
