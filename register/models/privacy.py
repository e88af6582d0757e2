import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

ANSWER_DAYS = 28  # covenant: an answer within four weeks
WARNING_FROM_DAY = 14  # week three


class SubjectRequest(models.Model):
    """A data subject asks whether the register holds data about them (covenant section 10)."""

    class Outcome(models.TextChoices):
        INFORMED = "informed", _("Informed of all data held")
        PARTLY = "partly", _("Partly informed")
        REFUSED = "refused", _("Refused")
        NOTHING_HELD = "nothing_held", _("No data held")

    class Ground(models.TextChoices):
        POLICE_TASK = "police_task", _("Needed for the proper performance of the police task")
        RIGHTS_OF_OTHERS = "rights_of_others", _("Serious interests of others")
        IDENTITY = "identity", _("Identity could not be established")
        OTHER = "other", _("Other ground (see notes)")

    received_on = models.DateField(_("received on"))
    requester_name = models.CharField(_("requester's name"), max_length=200)
    requester_contact = models.CharField(_("requester's address or e-mail"), max_length=300,
                                         blank=True)
    subject_family_name = models.CharField(_("family name"), max_length=150)
    subject_given_names = models.CharField(_("given names"), max_length=150, blank=True)
    subject_date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    subject_document_number = models.CharField(_("document number"), max_length=50, blank=True)
    identity_verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="+", verbose_name=_("identity verified by"))
    identity_verified_on = models.DateField(_("identity verified on"), null=True, blank=True)
    identity_method = models.CharField(_("how the identity was verified"), max_length=200,
                                       blank=True)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True)
    refusal_ground = models.CharField(_("ground"), max_length=20, choices=Ground.choices,
                                      blank=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        # Open requests (no decision yet) first on every database, oldest first.
        ordering = [models.F("decided_on").asc(nulls_first=True), "received_on"]
        verbose_name = _("data-subject request")

    def __str__(self) -> str:
        return f"#{self.pk}"

    @property
    def audit_ref(self) -> str:
        return f"DSR-{self.pk}"

    @property
    def due_on(self) -> dt.date:
        return self.received_on + dt.timedelta(days=ANSWER_DAYS)

    @property
    def is_open(self) -> bool:
        return not self.outcome

    def days_left(self, today: dt.date | None = None) -> int:
        return (self.due_on - (today or timezone.localdate())).days

    def needs_warning(self, today: dt.date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.is_open and (today - self.received_on).days >= WARNING_FROM_DAY


class RetentionReview(models.Model):
    """What the scheduled job found due, waiting for the register manager's decision."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for review")
        APPLIED = "applied", _("Anonymised")
        CANCELLED = "cancelled", _("Cancelled")

    created_at = models.DateTimeField(auto_now_add=True)
    cutoff = models.DateTimeField(_("processed last before"))
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"#{self.pk}"


class RetentionItem(models.Model):
    review = models.ForeignKey(RetentionReview, on_delete=models.CASCADE, related_name="items")
    object_type = models.CharField(max_length=60)
    object_id = models.CharField(max_length=64)
    reference = models.CharField(max_length=40)
    last_processed_at = models.DateTimeField()
    # A manager may keep an item longer (e.g. an investigation still running).
    keep = models.BooleanField(default=False)

    class Meta:
        ordering = ["last_processed_at"]
        constraints = [models.UniqueConstraint(fields=["review", "object_type", "object_id"],
                                               name="unique_item_per_review")]
