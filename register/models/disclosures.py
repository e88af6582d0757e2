"""The ledger of disclosures: every time personal data leaves the register, what left, to whom,
on what legal ground, by whom, when and until when the recipient may keep it.

Also the requests to share with another country of the Kingdom ("no, unless": a legal ground
and a second analyst's approval before anything is sent) and the alerts of unusual reading.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class LegalGround(models.TextChoices):
    POLICE_TASK = "police_task", _("Police task (art. 10 Wpg BES)")
    PROSECUTOR = "prosecutor", _("Prosecution (the public prosecutor's request)")
    COVENANT = "covenant", _("Covenant between the partners")
    COURT_ORDER = "court_order", _("Court order")
    SUBJECT_REQUEST = "subject_request", _("The data subject's own request")
    LEGAL_DUTY = "legal_duty", _("Another legal duty to provide")


class Channel(models.TextChoices):
    PRINT = "print", _("Printed dossier summary")
    EXPORT = "export", _("List export")
    SUBJECT_ANSWER = "subject_answer", _("Answer to a data-subject request")
    KINGDOM_SHARE = "kingdom_share", _("Shared with another country of the Kingdom")
    BRIEF = "brief", _("Brief or attachment for a partner")


class KingdomCountry(models.TextChoices):
    ARUBA = "aruba", _("Aruba")
    CURACAO = "curacao", _("Curaçao")
    SINT_MAARTEN = "sint_maarten", _("Sint Maarten")
    NETHERLANDS = "netherlands", _("the Netherlands")


class Disclosure(models.Model):
    channel = models.CharField(_("how"), max_length=20, choices=Channel.choices)
    recipient_organisation = models.CharField(_("recipient organisation"), max_length=200)
    recipient_person = models.CharField(_("recipient (person or desk)"), max_length=200,
                                        blank=True)
    country = models.CharField(_("country"), max_length=20, choices=KingdomCountry.choices,
                               blank=True)
    legal_ground = models.CharField(_("legal ground"), max_length=20,
                                    choices=LegalGround.choices)
    purpose = models.CharField(_("purpose"), max_length=300, blank=True)
    kept_until = models.DateField(_("may be kept until"), null=True, blank=True)
    disclosed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     related_name="+", verbose_name=_("disclosed by"))
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+", null=True, blank=True,
                                    verbose_name=_("approved by"))
    disclosed_at = models.DateTimeField(_("when"), db_index=True)

    class Meta:
        ordering = ["-disclosed_at", "-id"]
        verbose_name = _("disclosure")
        verbose_name_plural = _("disclosures")

    @property
    def audit_ref(self) -> str:
        return f"D-{self.pk}"


class DisclosedObject(models.Model):
    """One object that left: its type and id, and the reference of the signal or dossier it
    belongs to (so a data-subject search finds the disclosures of what it found)."""

    disclosure = models.ForeignKey(Disclosure, on_delete=models.CASCADE, related_name="items")
    object_type = models.CharField(max_length=60)
    object_id = models.CharField(max_length=64)
    reference = models.CharField(max_length=40, blank=True, db_index=True)

    class Meta:
        indexes = [models.Index(fields=["object_type", "object_id"])]


class ShareRequest(models.Model):
    """Sharing a dossier with another country of the Kingdom: asked by one analyst, approved
    (or refused) by a second; only the approval records the disclosure and lets it be sent."""

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting for approval")
        APPROVED = "approved", _("approved")
        REFUSED = "refused", _("refused")

    dossier = models.ForeignKey("register.Dossier", on_delete=models.CASCADE,
                                related_name="share_requests")
    country = models.CharField(_("country"), max_length=20, choices=KingdomCountry.choices)
    recipient_organisation = models.CharField(_("recipient organisation"), max_length=200)
    recipient_person = models.CharField(_("recipient (person or desk)"), max_length=200,
                                        blank=True)
    legal_ground = models.CharField(_("legal ground"), max_length=20,
                                    choices=LegalGround.choices)
    purpose = models.CharField(_("purpose"), max_length=300)
    kept_until = models.DateField(_("may be kept until"))
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     related_name="+")
    requested_at = models.DateTimeField()
    status = models.CharField(_("status"), max_length=10, choices=Status.choices,
                              default=Status.PENDING)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+", null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    refusal_reason = models.CharField(_("reason for refusing"), max_length=300, blank=True)
    disclosure = models.OneToOneField(Disclosure, on_delete=models.PROTECT, null=True,
                                      blank=True, related_name="share_request")

    class Meta:
        ordering = ["-requested_at", "-id"]

    @property
    def audit_ref(self) -> str:
        return self.dossier.number


class ReadingAlert(models.Model):
    """Unusual reading by one account on one day, for the auditors: ids and counts only."""

    class Kind(models.TextChoices):
        VOLUME = "volume", _("far more persons or dossiers opened than usual")
        NIGHT = "night", _("reading at night")
        NAME_SEARCHES = "name_searches", _("many name searches without opening a dossier")

    class Finding(models.TextChoices):
        EXPLAINED = "explained", _("explained by the account's work")
        TAKEN_UP = "taken_up", _("taken up with the account holder or their organisation")
        INCIDENT = "incident", _("reported as a data breach")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="+", verbose_name=_("account"))
    day = models.DateField(_("day"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    count = models.PositiveIntegerField(_("count"))
    threshold = models.PositiveIntegerField(_("threshold"))
    usual = models.PositiveIntegerField(_("usual per day"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    # The auditor's review: what was found, in a few words, by someone other than the reader.
    finding = models.CharField(_("finding"), max_length=20, choices=Finding.choices, blank=True)
    review_note = models.CharField(_("note"), max_length=500, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    null=True, blank=True, related_name="+",
                                    verbose_name=_("reviewed by"))
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)

    class Meta:
        ordering = ["-day", "user_id", "kind"]
        constraints = [models.UniqueConstraint(fields=["user", "day", "kind"],
                                               name="one_reading_alert_per_kind_and_day")]
