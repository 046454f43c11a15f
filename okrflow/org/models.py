"""The organisation: its settings, unit tree, people and projects."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from okrflow.cycles.models import Weekday
from okrflow.engine.focus import FocusRules
from okrflow.engine.progress import StatusThresholds


class Language(models.TextChoices):
    VIETNAMESE = "vi", _("Vietnamese")
    ENGLISH = "en", _("English")


class Organisation(models.Model):
    """The single organisation this installation serves, with its OKR rules."""

    name = models.CharField(_("name"), max_length=200, default="okrflow")
    # The article's focus rule: a unit or project commits to 3–5 objectives, a person to 1–3.
    objectives_min = models.PositiveSmallIntegerField(
        _("minimum objectives per unit or project"), default=3
    )
    objectives_max = models.PositiveSmallIntegerField(
        _("maximum objectives per unit or project"), default=5
    )
    key_results_min = models.PositiveSmallIntegerField(
        _("minimum key results per objective"), default=3
    )
    key_results_max = models.PositiveSmallIntegerField(
        _("maximum key results per objective"), default=5
    )
    individual_objectives_min = models.PositiveSmallIntegerField(
        _("minimum objectives per person"), default=1
    )
    individual_objectives_max = models.PositiveSmallIntegerField(
        _("maximum objectives per person"), default=3
    )
    teams_and_projects_need_minimum = models.BooleanField(
        _("flag teams and projects below the minimum"),
        default=False,
        help_text=_(
            "Off: teams (below department level) and projects may hold fewer objectives "
            "than the minimum without a warning."
        ),
    )
    enforce_focus = models.BooleanField(
        _("enforce focus limits"),
        default=False,
        help_text=_("Refuse a change that goes over a maximum instead of only warning."),
    )
    include_children_in_progress = models.BooleanField(
        _("roll up aligned objectives into progress"), default=False
    )
    at_risk_gap = models.DecimalField(
        _("at-risk gap"),
        max_digits=4,
        decimal_places=2,
        default=Decimal("0.10"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1"))],
        help_text=_("Behind the expected pace by more than this share: at risk."),
    )
    off_track_gap = models.DecimalField(
        _("off-track gap"),
        max_digits=4,
        decimal_places=2,
        default=Decimal("0.25"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1"))],
        help_text=_("Behind the expected pace by more than this share: off track."),
    )
    default_checkin_weekday = models.PositiveSmallIntegerField(
        _("default check-in weekday"), choices=Weekday.choices, default=Weekday.FRIDAY
    )
    default_checkin_hour = models.PositiveSmallIntegerField(_("default check-in hour"), default=17)
    default_time_zone = models.CharField(
        _("default time zone"), max_length=64, default="Asia/Ho_Chi_Minh"
    )

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisation")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(objectives_min__lte=models.F("objectives_max")),
                name="org_objectives_range",
            ),
            models.CheckConstraint(
                condition=models.Q(key_results_min__lte=models.F("key_results_max")),
                name="org_key_results_range",
            ),
            models.CheckConstraint(
                condition=models.Q(
                    individual_objectives_min__lte=models.F("individual_objectives_max")
                ),
                name="org_individual_range",
            ),
            models.CheckConstraint(
                condition=models.Q(at_risk_gap__lte=models.F("off_track_gap")),
                name="org_status_gaps_ordered",
            ),
            models.CheckConstraint(
                condition=models.Q(default_checkin_weekday__lte=6),
                name="org_default_checkin_weekday_range",
            ),
            models.CheckConstraint(
                condition=models.Q(default_checkin_hour__lte=23),
                name="org_default_checkin_hour_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def current(cls) -> Organisation:
        """Return the organisation row, creating it with defaults on first use."""
        organisation = cls.objects.order_by("pk").first()
        if organisation is None:
            organisation = cls.objects.create()
        return organisation

    def focus_rules(self) -> FocusRules:
        """Return the focus limits as the pure engine's rules."""
        return FocusRules(
            objectives_min=self.objectives_min,
            objectives_max=self.objectives_max,
            key_results_min=self.key_results_min,
            key_results_max=self.key_results_max,
            individual_objectives_min=self.individual_objectives_min,
            individual_objectives_max=self.individual_objectives_max,
            teams_and_projects_need_minimum=self.teams_and_projects_need_minimum,
        )

    def status_thresholds(self) -> StatusThresholds:
        """Return the status gaps as the pure engine's thresholds."""
        return StatusThresholds(
            at_risk_gap=float(self.at_risk_gap), off_track_gap=float(self.off_track_gap)
        )


class OrgUnit(models.Model):
    """A node of the org tree: the company, a department, a team."""

    name = models.CharField(_("name"), max_length=200)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name=_("parent unit"),
    )
    lead = models.ForeignKey(
        "org.Person",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="led_units",
        verbose_name=_("lead"),
    )
    # Materialised path of ids, "/1/4/9/": descendants are one indexed prefix query away.
    path = models.CharField(_("path"), max_length=1000, db_index=True, editable=False)
    depth = models.PositiveSmallIntegerField(_("depth"), default=0, editable=False)
    # An archived unit keeps its objectives and history readable but takes no new objectives.
    is_archived = models.BooleanField(_("archived"), default=False)

    class Meta:
        verbose_name = _("org unit")
        verbose_name_plural = _("org units")
        ordering = ["path"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(parent=models.F("pk")), name="orgunit_not_own_parent"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def level_label(self) -> str:
        """Name the level of this unit in the tree."""
        if self.depth == 0:
            return str(_("Company"))
        if self.depth == 1:
            return str(_("Department"))
        return str(_("Team"))


class Person(models.Model):
    """A user's profile in the organisation."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="person",
        verbose_name=_("user"),
    )
    full_name = models.CharField(_("full name"), max_length=200)
    job_title = models.CharField(_("job title"), max_length=200, blank=True)
    unit = models.ForeignKey(
        OrgUnit,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
        verbose_name=_("unit"),
    )
    manager = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reports",
        verbose_name=_("manager"),
    )
    is_admin = models.BooleanField(_("OKR admin"), default=False)
    language = models.CharField(
        _("language"), max_length=8, choices=Language.choices, default=Language.VIETNAMESE
    )
    time_zone = models.CharField(_("time zone"), max_length=64, default="Asia/Ho_Chi_Minh")

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["full_name"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(manager=models.F("pk")), name="person_not_own_manager"
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def username(self) -> str:
        return self.user.get_username()


class Project(models.Model):
    """A cross-unit piece of work, such as a marketing campaign, that can own OKRs."""

    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    lead = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="led_projects", verbose_name=_("lead")
    )
    members = models.ManyToManyField(
        Person, blank=True, related_name="projects", verbose_name=_("members")
    )
    unit = models.ForeignKey(
        OrgUnit,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="projects",
        verbose_name=_("unit"),
    )
    is_archived = models.BooleanField(_("archived"), default=False)

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class PeopleImportUpload(models.Model):
    """A people file between its preview and its confirmation, kept for the admin who sent it.

    The confirm step imports this stored file, not one sent again: a file of 5 MB would not fit
    in a form field (Django refuses more than 2.5 MB of fields), and what is confirmed is then
    exactly what was previewed. Each admin keeps only their latest upload; a day-old one goes.
    """

    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    file_name = models.CharField(max_length=255)
    content = models.BinaryField()

    class Meta:
        verbose_name = _("people import upload")
        verbose_name_plural = _("people import uploads")

    def __str__(self) -> str:
        return self.file_name
