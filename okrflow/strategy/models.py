"""The organisation's strategy: mission, vision, core values and strategic themes (issue #16).

A company objective may name the value or theme it serves (`ServedBy`). The link lives here,
not on `okrs.Objective`, so `okrs` never imports `strategy` (pyproject.toml, import-linter).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

NAME_LENGTH = 120
DESCRIPTION_LENGTH = 500
STATEMENT_LENGTH = 1000


class Statement(models.Model):
    """The organisation's mission and vision, in Vietnamese and English."""

    organisation = models.OneToOneField(
        "org.Organisation",
        on_delete=models.CASCADE,
        related_name="strategy_statement",
        verbose_name=_("organisation"),
    )
    mission = models.TextField(_("mission"), blank=True)
    mission_en = models.TextField(_("mission (English)"), blank=True)
    vision = models.TextField(_("vision"), blank=True)
    vision_en = models.TextField(_("vision (English)"), blank=True)

    class Meta:
        verbose_name = _("mission and vision")
        verbose_name_plural = _("missions and visions")

    def __str__(self) -> str:
        return self.mission[:60]


class ItemKind(models.TextChoices):
    VALUE = "value", _("Core value")
    THEME = "theme", _("Strategic theme")


class StrategyItem(models.Model):
    """A core value or a strategic theme an objective can serve."""

    organisation = models.ForeignKey(
        "org.Organisation",
        on_delete=models.CASCADE,
        related_name="strategy_items",
        verbose_name=_("organisation"),
    )
    kind = models.CharField(_("kind"), max_length=8, choices=ItemKind.choices)
    name = models.CharField(_("name"), max_length=NAME_LENGTH)
    name_en = models.CharField(_("name (English)"), max_length=NAME_LENGTH, blank=True)
    description = models.TextField(_("description"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)
    is_archived = models.BooleanField(_("archived"), default=False)

    class Meta:
        verbose_name = _("core value or theme")
        verbose_name_plural = _("core values and themes")
        ordering = ["kind", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"], name="strategy_item_unique_name"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def shown_name(self, language: str | None) -> str:
        """The name in the reader's language (English falls back to the Vietnamese name)."""
        if (language or "")[:2] == "en" and self.name_en:
            return self.name_en
        return self.name

    def shown_description(self, language: str | None) -> str:
        if (language or "")[:2] == "en" and self.description_en:
            return self.description_en
        return self.description


class ServedBy(models.Model):
    """The value or theme a company objective serves (at most one per objective)."""

    objective = models.OneToOneField(
        "okrs.Objective",
        on_delete=models.CASCADE,
        related_name="strategy_link",
        verbose_name=_("objective"),
    )
    item = models.ForeignKey(
        StrategyItem,
        on_delete=models.PROTECT,
        related_name="objective_links",
        verbose_name=_("value or theme"),
    )

    class Meta:
        verbose_name = _("objective's value or theme")
        verbose_name_plural = _("objectives' values and themes")

    def __str__(self) -> str:
        return f"{self.objective_id} → {self.item_id}"
