"""Multidisciplinary controls in high-risk sectors: the plan, the results, the overview."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from signals.vocab import Island, Sector

# Controls are held on the islands, not at sea or abroad.
CONTROL_ISLANDS = Island.choices[:3]


class Control(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        HELD = "held", _("Held")
        CANCELLED = "cancelled", _("Cancelled")

    island = models.CharField(_("island"), max_length=20, choices=CONTROL_ISLANDS)
    place = models.CharField(_("place"), max_length=200)
    sector = models.CharField(_("sector"), max_length=30, choices=Sector.choices)
    planned_on = models.DateField(_("planned date"), db_index=True)
    initiating_organisation = models.ForeignKey(
        "register.Organisation", on_delete=models.PROTECT, related_name="+",
        verbose_name=_("initiated by"))
    directing_organisation = models.ForeignKey(
        "register.Organisation", on_delete=models.PROTECT, related_name="+",
        verbose_name=_("directed by"))
    goal = models.TextField(_("goal"))
    team = models.TextField(_("team"), blank=True)
    briefing = models.TextField(_("briefing"), blank=True)

    status = models.CharField(_("status"), max_length=10, choices=Status.choices,
                              default=Status.PLANNED, db_index=True)
    held_on = models.DateField(_("held on"), null=True, blank=True)
    cancelled_reason = models.CharField(_("reason for cancelling"), max_length=300, blank=True)
    persons_checked = models.PositiveIntegerField(_("persons checked"), null=True, blank=True)
    businesses_checked = models.PositiveIntegerField(_("businesses checked"), null=True,
                                                     blank=True)
    arrests = models.PositiveIntegerField(_("arrests"), null=True, blank=True)
    fines = models.PositiveIntegerField(_("fines issued"), null=True, blank=True)
    follow_up_agreed = models.TextField(_("follow-up agreed"), blank=True)
    results_recorded_at = models.DateTimeField(_("results recorded"), null=True, blank=True)

    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-planned_on", "-id"]
        verbose_name = _("control")
        verbose_name_plural = _("controls")

    def __str__(self) -> str:
        return self.audit_ref

    @property
    def audit_ref(self) -> str:
        return f"CO-{self.pk}"

    @property
    def year(self) -> int:
        return (self.held_on or self.planned_on).year

    @property
    def lacks_results(self) -> bool:
        """Its day has passed and nobody wrote down what it found: the inspection's central
        complaint."""
        from django.utils import timezone

        return (self.status == self.Status.PLANNED and self.planned_on < timezone.localdate()
                ) or (self.status == self.Status.HELD and self.results_recorded_at is None)


class ControlParticipant(models.Model):
    control = models.ForeignKey(Control, on_delete=models.CASCADE, related_name="participants")
    organisation = models.ForeignKey("register.Organisation", on_delete=models.PROTECT,
                                     related_name="+", verbose_name=_("organisation"))
    task = models.CharField(_("task"), max_length=300, blank=True)
    took_part = models.BooleanField(_("took part"), null=True)

    class Meta:
        ordering = ["organisation__name"]
        constraints = [models.UniqueConstraint(fields=["control", "organisation"],
                                               name="unique_participant")]


class ControlBusiness(models.Model):
    control = models.ForeignKey(Control, on_delete=models.CASCADE, related_name="businesses")
    name = models.CharField(_("business"), max_length=200)
    registration_number = models.CharField(_("Chamber of Commerce number"), max_length=50,
                                           blank=True)
    visited = models.BooleanField(_("visited"), default=False)

    class Meta:
        ordering = ["name"]


class ControlFinding(models.Model):
    """What one organisation found. Counted by category; the description may hold personal
    data and is shown only to analysts and to the organisation that wrote it."""

    class Category(models.TextChoices):
        LABOUR = "labour", _("Labour (working conditions, wages, permits)")
        IMMIGRATION = "immigration", _("Immigration (residence, documents)")
        LICENCE = "licence_conditions", _("Licence conditions")
        FIRE_SAFETY = "fire_safety", _("Fire safety")
        OTHER = "other", _("Other")

    control = models.ForeignKey(Control, on_delete=models.CASCADE, related_name="findings")
    organisation = models.ForeignKey("register.Organisation", on_delete=models.PROTECT,
                                     related_name="+", verbose_name=_("organisation"))
    category = models.CharField(_("category"), max_length=30, choices=Category.choices)
    count = models.PositiveIntegerField(_("number of violations"), default=1)
    description = models.TextField(_("description"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]


class ControlSignal(models.Model):
    """A signal raised during a control: filed through the intake like any other."""

    control = models.ForeignKey(Control, on_delete=models.PROTECT, related_name="signal_links")
    signal = models.OneToOneField("signals.Signal", on_delete=models.PROTECT,
                                  related_name="control_link")


def _report_path(instance, filename: str) -> str:
    return f"control-reports/{uuid.uuid4().hex}"


class ControlReport(models.Model):
    """The written report of a control (PDF), stored outside the web root."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    control = models.ForeignKey(Control, on_delete=models.CASCADE, related_name="reports")
    file = models.FileField(upload_to=_report_path, max_length=200)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=50)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    @property
    def audit_ref(self) -> str:
        return self.control.audit_ref


class ControlTarget(models.Model):
    """How many controls an island should have in a year (the action plan: four a year)."""

    island = models.CharField(_("island"), max_length=20, choices=CONTROL_ISLANDS)
    year = models.PositiveSmallIntegerField(_("from year"), default=0,
                                            help_text=_("0: from the start."))
    target = models.PositiveSmallIntegerField(_("target"))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["island", "year"], name="unique_target")]
