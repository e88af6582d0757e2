from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from guardian.models import UserObjectPermissionBase

from register.models.organisations import Organisation
from register.models.persons import Person
from register.vocab import ExploitationForm


class Dossier(models.Model):
    """A concrete case of possible trafficking or smuggling, compiled from signals."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        IN_ANALYSIS = "in_analysis", _("In analysis")
        IN_FOLLOW_UP = "in_follow_up", _("In follow-up")
        CLOSED = "closed", _("Closed")

    class Priority(models.IntegerChoices):
        LOW = 1, _("Low")
        NORMAL = 2, _("Normal")
        HIGH = 3, _("High")
        URGENT = 4, _("Urgent")

    number = models.CharField(_("number"), max_length=20, unique=True)
    title = models.CharField(_("working title"), max_length=200)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices,
                              default=Status.OPEN, db_index=True)
    closed_reason = models.CharField(_("reason for closing"), max_length=300, blank=True)
    # When it was closed: the figures count closures by this, never by updated_at, which a
    # note or a signal added later would move into another year.
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    priority = models.PositiveSmallIntegerField(_("priority"), choices=Priority.choices,
                                                default=Priority.NORMAL)
    assigned_analysts = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True,
                                               related_name="assigned_dossiers",
                                               verbose_name=_("assigned analysts"))
    # Need to know: a restricted dossier is visible only to analysts granted `view_dossier`.
    restricted = models.BooleanField(_("restricted to named analysts"), default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    merged_into = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="merged_dossiers")

    class Meta:
        ordering = ["-updated_at"]
        # Need to know is checked on every list and search: the few restricted dossiers are
        # found without reading the many that are not.
        indexes = [models.Index(fields=["id"], condition=models.Q(restricted=True),
                                name="register_dossier_restricted"),
                   # Reports count the dossiers opened in a period.
                   models.Index(fields=["created_at"]),
                   # The dossier list's own order: its first page without sorting them all.
                   models.Index(fields=["-priority", "-updated_at", "-id"],
                                name="register_dossier_list_order")]
        verbose_name = _("dossier")
        verbose_name_plural = _("dossiers")

    def __str__(self) -> str:
        return self.number

    @property
    def audit_ref(self) -> str:
        return self.number


class DossierUserObjectPermission(UserObjectPermissionBase):
    """django-guardian's direct foreign-key table: lists filter with a join, not a scan."""

    content_object = models.ForeignKey(Dossier, on_delete=models.CASCADE)


class DossierCounter(models.Model):
    year = models.PositiveSmallIntegerField(primary_key=True)
    last_number = models.PositiveIntegerField(default=0)


class DossierPerson(models.Model):
    """A person's role in this dossier (the same person may be a victim here, a suspect there),
    with what the annual MoU figures count, dated where it arose."""

    class Role(models.TextChoices):
        VICTIM = "victim", _("Victim")
        SUSPECT = "suspect", _("Suspect")
        WITNESS = "witness", _("Witness")
        OTHER = "other", _("Other")

    class VictimStatus(models.TextChoices):
        POSSIBLE = "possible", _("Possible victim")
        PRESUMED = "presumed", _("Presumed victim")
        CONFIRMED = "confirmed", _("Confirmed victim")
        NOT_A_VICTIM = "not_a_victim", _("Not a victim")

    class DecidedBy(models.TextChoices):
        POLICE = "police", _("Police")
        PROSECUTION = "prosecution", _("Prosecution")
        COURT = "court", _("Court")
        OTHER = "other", _("Other")

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="persons")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="dossier_roles")
    role = models.CharField(_("role"), max_length=10, choices=Role.choices)
    victim_status = models.CharField(_("victim status"), max_length=15,
                                     choices=VictimStatus.choices, blank=True)
    status_decided_by = models.CharField(_("decided by"), max_length=15,
                                         choices=DecidedBy.choices, blank=True)
    identified_on = models.DateField(_("identified on"), null=True, blank=True)
    form_of_exploitation = models.CharField(_("form of exploitation"), max_length=30,
                                            choices=ExploitationForm.choices, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["dossier", "person", "role"],
                                               name="unique_role_per_person_in_dossier")]


class DossierNote(models.Model):
    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                               related_name="+")
    text = models.TextField(_("note"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]


class FollowUpAction(models.Model):
    """What a partner does with a dossier; dated, so the annual figures count themselves."""

    class Kind(models.TextChoices):
        INVESTIGATION = "criminal_investigation", _("Criminal investigation started")
        PROSECUTION = "prosecution", _("Prosecution started")
        VERDICT = "verdict", _("Verdict")
        LICENCE_REVOKED = "licence_revoked", _("Administrative measure: licence revoked")
        WORK_PERMIT_REVOKED = "work_permit_revoked", _(
            "Administrative measure: work permit revoked")
        TAX_FINE = "tax_fine", _("Administrative measure: tax fine")
        CLOSURE = "closure", _("Administrative measure: closure of premises")
        ADMINISTRATIVE_REPORT = "administrative_report", _(
            "Administrative report to the island government")
        VICTIM_CARE = "victim_care", _("Victim referred to care or shelter")
        REFERRED_KINGDOM = "referred_kingdom", _("Referred to another country of the Kingdom")
        REFERRED_RST = "referred_rst", _("Referred to the RST")
        INFORMATION_SHARED = "information_shared", _("Information shared")
        NO_FURTHER_ACTION = "no_further_action", _("No further action")
        # What the inspection report names and the action plan promises: following the money,
        # and victim care as it is actually arranged, each by its own organisation.
        FINANCIAL_INVESTIGATION = "financial_investigation", _("Financial investigation")
        CONFISCATION = "confiscation", _("Confiscation of proceeds (ontneming)")
        SHELTER = "shelter", _("Victim care: shelter")
        REFLECTION_PERIOD = "reflection_period", _("Victim care: reflection period")
        RESIDENCE_PERMIT = "residence_permit", _("Victim care: residence permit")
        VICTIM_COMPENSATION = "victim_compensation", _(
            "Victim care: compensation from the victim fund")
        GUARDIAN = "guardian", _("Victim care: guardian for a minor")

    class Outcome(models.TextChoices):
        PLANNED = "planned", _("Planned")
        DONE = "done", _("Done")
        CANCELLED = "cancelled", _("Cancelled")
        CONVICTION = "conviction", _("Conviction")
        ACQUITTAL = "acquittal", _("Acquittal")

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="follow_ups")
    kind = models.CharField(_("action"), max_length=30, choices=Kind.choices, db_index=True)
    responsible_organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT,
                                                 related_name="+",
                                                 verbose_name=_("responsible organisation"))
    due_on = models.DateField(_("due on"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=15, choices=Outcome.choices,
                               default=Outcome.PLANNED)
    happened_on = models.DateField(_("date it happened"), null=True, blank=True, db_index=True)
    # Until when it runs: the end of a reflection period, a residence permit or shelter
    # place, a guardianship. Empty for what happens once.
    ends_on = models.DateField(_("runs until"), null=True, blank=True)
    explanation = models.TextField(_("explanation"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_on", "created_at"]
        indexes = [models.Index(fields=["created_at"])]
