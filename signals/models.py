import uuid

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower, Trim
from django.utils.translation import gettext_lazy as _

from register.models.persons import BirthPrecision
from signals.vocab import (
    OPEN_STATUSES,
    AgeBand,
    BorderOutcome,
    BorderPlace,
    Channel,
    DocumentType,
    ExploitationForm,
    Indicator,
    InformationReliability,
    Island,
    PersonRole,
    Sector,
    Sex,
    SignalStatus,
    SourceReliability,
    VehicleKind,
)


class ReferenceCounter(models.Model):
    """The last reference number handed out per year; rows are locked while one is taken."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last_number = models.PositiveIntegerField(default=0)


class Signal(models.Model):
    reference = models.CharField(_("reference"), max_length=20, unique=True)
    status = models.CharField(
        _("status"), max_length=20, choices=SignalStatus.choices, default=SignalStatus.RECEIVED
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    received_at = models.DateTimeField(_("received"), db_index=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="submitted_signals",
        verbose_name=_("entered by"),
    )
    # Guards against double submission: one key per submitting account.
    idempotency_key = models.CharField(max_length=100, null=True, blank=True)
    request_fingerprint = models.CharField(max_length=64, blank=True)

    reporter_name = models.CharField(_("reporter's name"), max_length=200)
    reporter_organisation = models.ForeignKey(
        "register.Organisation",
        on_delete=models.PROTECT,
        related_name="reported_signals",
        verbose_name=_("reporter's organisation"),
    )
    reporter_phone = models.CharField(_("reporter's phone"), max_length=30, blank=True)
    reporter_email = models.EmailField(_("reporter's e-mail"), blank=True)

    observed_on = models.DateField(_("date of the signal"))
    island = models.CharField(_("island"), max_length=20, choices=Island.choices)
    location = models.CharField(_("place"), max_length=200, blank=True)
    sector = models.CharField(_("sector"), max_length=30, choices=Sector.choices, blank=True)
    description = models.TextField(_("description"))
    immediate_danger = models.BooleanField(_("someone is in immediate danger"), default=False)
    # The border section: arrivals and interceptions by land, air and sea. The vessel or
    # flight is a vehicle of the signal (kind vessel or aircraft).
    # Database defaults: bulk writers (bench/) that name none of these get them empty.
    border_place = models.CharField(_("arrival or interception at"), max_length=10,
                                    choices=BorderPlace.choices, blank=True, db_default="")
    border_position = models.CharField(_("position at sea"), max_length=100, blank=True,
                                       db_default="")
    departure_country = models.CharField(_("country of departure"), max_length=2, blank=True,
                                         db_default="")
    transit_countries = models.JSONField(_("countries of transit"), default=list, blank=True,
                                         db_default=[])
    # Everyone in the boat or group, named or not: the unnamed count in the figures as a
    # number, without person records.
    group_size = models.PositiveIntegerField(_("persons in the group"), null=True, blank=True)
    border_outcome = models.CharField(_("what happened to them"), max_length=15,
                                      choices=BorderOutcome.choices, blank=True, db_default="")
    # Retention counts from the last time anyone worked on the signal (covenant: police data is
    # kept only as long as needed). Anonymised signals keep only what the annual figures need.
    last_processed_at = models.DateTimeField(_("last processed"), db_index=True)
    anonymised_at = models.DateTimeField(_("anonymised"), null=True, blank=True)

    # Triage by an analyst. Triage starts when an analyst takes the signal up (never by merely
    # opening it), so colleagues see who is working on it.
    taken_up_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("taken up by"))
    taken_up_at = models.DateTimeField(_("taken up"), null=True, blank=True)
    dossier = models.ForeignKey("register.Dossier", null=True, blank=True,
                                on_delete=models.PROTECT, related_name="signals",
                                verbose_name=_("dossier"))
    triaged_at = models.DateTimeField(_("triaged"), null=True, blank=True)
    triaged_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    not_taken_up_reason = models.TextField(_("reason not taken up"), blank=True)
    # What the analyst chose to tell the reporter of why (their feedback); may be empty.
    reason_for_reporter = models.TextField(_("reason told to the reporter"), blank=True,
                                           db_default="")
    source_reliability = models.CharField(_("reliability of the source"), max_length=1,
                                          choices=SourceReliability.choices, blank=True)
    information_reliability = models.CharField(_("reliability of the information"),
                                               max_length=1,
                                               choices=InformationReliability.choices,
                                               blank=True)
    # The reporter's own coding (island, sector, forms) when an analyst corrected it.
    original_coding = models.JSONField(null=True, blank=True)

    class Meta:
        ordering = ["-received_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["submitted_by", "idempotency_key"], name="unique_submission_per_user"
            )
        ]
        indexes = [models.Index(fields=["submitted_by", "-received_at"]),
                   models.Index(fields=["status", "-received_at"]),
                   # The inbox in its own order: the few open signals of a large register.
                   models.Index(fields=["-immediate_danger", "-received_at", "-id"],
                                condition=models.Q(status__in=OPEN_STATUSES),
                                name="signals_inbox_order"),
                   # The network's "same place within two weeks": a range scan per signal
                   # (casework/network.py compares places by this same expression).
                   models.Index("island", Lower(Trim("location")), "observed_on",
                                name="signals_same_place"),
                   # The network's "same route" (casework/network_queries.py ON_ROUTE): a
                   # route's signals in date order, the transit compared on the way.
                   models.Index("departure_country", "island", "observed_on",
                                name="signals_same_route")]
        verbose_name = _("signal")
        verbose_name_plural = _("signals")

    def __str__(self) -> str:
        return self.reference

    @property
    def audit_ref(self) -> str:
        return self.reference

    @property
    def form_codes(self) -> list[str]:
        return [f.code for f in self.forms.all()]

    @property
    def indicator_codes(self) -> list[str]:
        return [i.code for i in self.indicators.all()]


class SignalForm(models.Model):
    """A form of trafficking or smuggling ticked on the signal; a row each, so it can be counted."""

    signal = models.ForeignKey(Signal, on_delete=models.CASCADE, related_name="forms")
    code = models.CharField(max_length=30, choices=ExploitationForm.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["signal", "code"], name="unique_form_per_signal")
        ]
        indexes = [models.Index(fields=["code"])]


class SignalIndicator(models.Model):
    signal = models.ForeignKey(Signal, on_delete=models.CASCADE, related_name="indicators")
    code = models.CharField(max_length=40, choices=Indicator.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["signal", "code"], name="unique_indicator_per_signal")
        ]


class SignalPerson(models.Model):
    """A person as named in one signal. Linking to register persons happens in triage."""

    signal = models.ForeignKey(Signal, on_delete=models.CASCADE, related_name="persons")
    position = models.PositiveSmallIntegerField(default=0)
    role = models.CharField(_("role"), max_length=20, choices=PersonRole.choices)
    family_name = models.CharField(_("family name"), max_length=150, blank=True)
    given_names = models.CharField(_("given names"), max_length=150, blank=True)
    alias = models.CharField(_("alias"), max_length=150, blank=True)
    sex = models.CharField(_("sex"), max_length=10, choices=Sex.choices, default=Sex.UNKNOWN)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    date_of_birth_precision = models.CharField(
        _("date of birth known to"), max_length=5, choices=BirthPrecision.choices,
        default=BirthPrecision.DAY, db_default=BirthPrecision.DAY)
    estimated_age = models.PositiveSmallIntegerField(_("estimated age"), null=True, blank=True)
    nationality = models.CharField(_("nationality"), max_length=2, blank=True)
    document_type = models.CharField(
        _("identity document"), max_length=20, choices=DocumentType.choices, blank=True
    )
    document_number = models.CharField(_("document number"), max_length=50, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    # Derived at intake and kept after anonymisation: the annual figures count by these.
    name_key = models.CharField(max_length=300, blank=True, db_index=True)
    phonetic_key = models.CharField(max_length=300, blank=True)
    phone_key = models.CharField(max_length=10, blank=True, db_index=True)
    # The document number as it identifies the document ("AB 12-34" and "ab1234" are one),
    # so the network links signals naming the same document. Cleared on anonymisation.
    document_key = models.CharField(max_length=50, blank=True, db_index=True)
    person = models.ForeignKey("register.Person", null=True, blank=True,
                               on_delete=models.PROTECT, related_name="mentions")
    age_band = models.CharField(_("age band"), max_length=10, choices=AgeBand.choices,
                                default=AgeBand.UNKNOWN)

    class Meta:
        ordering = ["position"]


class SignalQuestion(models.Model):
    """An analyst's question to the reporter, and the reporter's answer, on the signal."""

    signal = models.ForeignKey(Signal, on_delete=models.CASCADE, related_name="questions")
    asked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                 related_name="+")
    question = models.TextField(_("question"))
    asked_at = models.DateTimeField()
    answer = models.TextField(_("answer"), blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["asked_at"]


class SignalBusiness(models.Model):
    signal = models.ForeignKey(Signal, on_delete=models.CASCADE, related_name="businesses")
    position = models.PositiveSmallIntegerField(default=0)
    name = models.CharField(_("name"), max_length=200)
    registration_number = models.CharField(_("registration number"), max_length=50, blank=True,
                                           db_index=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    name_key = models.CharField(max_length=200, blank=True, db_index=True)

    class Meta:
        ordering = ["position"]


class SignalVehicle(models.Model):
    signal = models.ForeignKey(Signal, on_delete=models.CASCADE, related_name="vehicles")
    position = models.PositiveSmallIntegerField(default=0)
    kind = models.CharField(_("kind"), max_length=20, choices=VehicleKind.choices)
    name = models.CharField(_("name"), max_length=150, blank=True)
    registration = models.CharField(_("registration or hull number"), max_length=50, blank=True)
    description = models.CharField(_("description"), max_length=300, blank=True)
    key = models.CharField(max_length=200, blank=True, db_index=True)

    class Meta:
        ordering = ["position"]


def _upload_path(instance, filename: str) -> str:
    # The stored name is random: an original file name may itself be personal data.
    return f"attachments/{instance.received_at:%Y/%m}/{uuid.uuid4().hex}"


class Attachment(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    signal = models.ForeignKey(Signal, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=_upload_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=50)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    received_at = models.DateTimeField()

    class Meta:
        ordering = ["received_at", "original_name"]

    @property
    def audit_ref(self) -> str:
        """Downloads are found under the signal's reference in the audit trail."""
        return self.signal.reference


class AttachmentText(models.Model):
    """The words in an attachment, read in the worker (PDF text layer, else OCR), so analysts
    find a signal through its files. Personal data: deleted with the attachment."""

    class Method(models.TextChoices):
        PDF_TEXT = "pdf_text", _("text of the PDF")
        OCR = "ocr", _("text recognition (OCR)")

    class Status(models.TextChoices):
        DONE = "done", _("read")
        FAILED = "failed", _("could not be read")
        SKIPPED = "skipped", _("not read")

    attachment = models.OneToOneField(Attachment, on_delete=models.CASCADE, primary_key=True,
                                      related_name="text")
    text = models.TextField(blank=True)
    # The text normalised (lower case, no accents, single spaces, a space at both ends) for
    # word-prefix search with LIKE '% word%' (a trigram index on PostgreSQL).
    search_text = models.TextField(blank=True)
    method = models.CharField(max_length=10, choices=Method.choices, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices)
    pages = models.PositiveIntegerField(default=0)
    extracted_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"text of attachment {self.attachment_id}"


def _staging_path(instance, filename: str) -> str:
    return f"staging/{uuid.uuid4().hex}"


class StagedUpload(models.Model):
    """A file sent with a form that failed validation, kept so the user need not choose it again.

    Staged files belong to one user and one form submission token; stale ones are purged by a
    scheduled task.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    form_token = models.CharField(max_length=64, db_index=True)
    file = models.FileField(upload_to=_staging_path, max_length=200)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=50)
    size = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)
