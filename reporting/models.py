import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ReportKind(models.TextChoices):
    ANNUAL = "annual", _("Annual progress report")
    QUARTERLY = "quarterly", _("Quarterly progress report")
    WORKING_GROUP = "working_group", _("Working-group overview")
    EXCHANGE = "exchange", _("Interregional exchange (MoU art. 4)")


# How often a report is tried (reporting.tasks.make_report) before it is failed for good.
MAX_ATTEMPTS = 3


def _report_path(instance, filename: str) -> str:
    return f"reports/{uuid.uuid4().hex}.pdf"


class Report(models.Model):
    """One generated report. Scheduled reports are unique per kind and period: the insert that
    wins the unique constraint is the one claim a period's report can have."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("In the queue")
        RUNNING = "running", _("Being made")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    class Stage(models.TextChoices):
        DRAFT = "draft", _("Draft")
        FINAL = "final", _("Final")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(_("report"), max_length=20, choices=ReportKind.choices)
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("until"))
    language = models.CharField(max_length=5, default="nl")
    scheduled = models.BooleanField(default=False)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices,
                              default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.CharField(max_length=200, blank=True)
    file = models.FileField(upload_to=_report_path, max_length=200, blank=True)
    size = models.PositiveIntegerField(default=0)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    # Last handed to the broker; a report still queued long after is queued again by the sweep.
    queued_at = models.DateTimeField(default=timezone.now)
    # When the current run claimed the report: also the claim's token, so a run that lost its
    # claim to a takeover cannot store its PDF.
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # A report made on request is a draft: the coordinator previews it and writes the
    # commentary, then finalises it. A final report is never changed; a correction is a new
    # Report (version n+1) that points at the one it replaces. Scheduled reports are final at
    # once: nobody is asked to review them, and they must not wait for anyone.
    stage = models.CharField(_("stage"), max_length=10, choices=Stage.choices,
                             default=Stage.DRAFT)
    commentary = models.TextField(_("commentary"), blank=True, max_length=20000)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    previous = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="next_versions",
                                 verbose_name=_("previous version"))
    finalised_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    finalised_at = models.DateTimeField(null=True, blank=True)
    # What the final PDF is made from: the report's HTML without the draft marking, taken in
    # the same transaction that stored the preview. A final report is rendered from it, never
    # from live data, so it holds exactly the figures and commentary the coordinator approved,
    # however late (or how often) it is made.
    final_html = models.TextField(blank=True, editable=False)

    class Meta:
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(
            fields=["kind", "period_start", "period_end"], condition=Q(scheduled=True),
            name="one_scheduled_report_per_period")]

    def __str__(self) -> str:
        return self.audit_ref

    @property
    def is_final(self) -> bool:
        return self.stage == self.Stage.FINAL

    @property
    def busy(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)

    @property
    def failed_for_good(self) -> bool:
        """Failed with no retry coming: only someone making it again gets it made."""
        return self.status == self.Status.FAILED and self.attempts >= MAX_ATTEMPTS

    @property
    def audit_ref(self) -> str:
        return f"R-{str(self.pk)[:8]}"


class ReportSchedule(models.Model):
    """When beat makes a report by itself. Quarterly: the first day of each quarter; annual: in
    January; the working-group overview every `every_months` months."""

    kind = models.CharField(_("report"), max_length=20, choices=ReportKind.choices[:3],
                            unique=True)
    enabled = models.BooleanField(_("made automatically"), default=True)
    every_months = models.PositiveSmallIntegerField(_("every so many months"), default=3)

    def __str__(self) -> str:
        return self.get_kind_display()


class EstimateList(models.Model):
    """The coordinator's grouping of reporting organisations into the lists of the
    hidden-number estimate (reporting.register_capture). Organisations that work as one (one
    refers every case to the other) belong on one list; an organisation without a row is a
    list of its own."""

    organisation = models.OneToOneField("register.Organisation", on_delete=models.CASCADE,
                                        primary_key=True, related_name="+")
    name = models.CharField(_("list"), max_length=40)

    def __str__(self) -> str:
        return self.name


class KingdomCountry(models.TextChoices):
    """The countries of the Kingdom that exchange the MoU art. 4 figures (ISO 3166 codes)."""

    ARUBA = "AW", _("Aruba")
    CURACAO = "CW", _("Curaçao")
    SINT_MAARTEN = "SX", _("Sint Maarten")
    NETHERLANDS = "NL", _("The Netherlands")
    CARIBBEAN_NETHERLANDS = "BQ", _("Caribbean Netherlands")


class KingdomFigures(models.Model):
    """One country's MoU art. 4 figures of one year, imported from its exchange file
    (reporting.kingdom). Counts are kept as the country sent them: a number, or "<5" where
    it suppressed a small count. A new file for the same country and year replaces them."""

    country = models.CharField(_("country"), max_length=2, choices=KingdomCountry.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    figures = models.JSONField(default=dict)
    imported_at = models.DateTimeField(default=timezone.now)
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True,
                                    on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["country", "year"],
                                               name="one_kingdom_figure_per_country_year")]
        ordering = ["year", "country"]


class FigureRollup(models.Model):
    """One count of a year's report figures, as counted by reporting.rollup.refresh: the annual
    report (and the MoU figures and key figures of earlier years) reads these instead of
    counting a year of the register again. Rows of one figure keep the recount's order."""

    year = models.PositiveSmallIntegerField()
    island = models.CharField(max_length=20, blank=True)  # "" counts every island
    figure = models.CharField(max_length=40)
    key = models.CharField(max_length=60, blank=True)
    n = models.BigIntegerField(null=True)
    value = models.FloatField(null=True)  # an average in days, where the figure is one
    position = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["year", "island", "position"])]


class FigureRollupYear(models.Model):
    """When a year's rollup was counted, and up to which audit event: any event after it that
    may change a fact makes the rollup stale, and the figures are counted live again."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    refreshed_at = models.DateTimeField()
    watermark = models.BigIntegerField()
    seconds = models.FloatField(default=0)
    # The hidden-number estimate of the year as fitted with the count, per island and language:
    # reporting.rollup._estimate_key -> the fit's result (observed count unsuppressed).
    estimates = models.JSONField(default=dict, blank=True)
