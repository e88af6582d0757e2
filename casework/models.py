"""Casework's own records: the match index, merges of persons, and rejected suggestions.

The persons and dossiers themselves live in the core (register), because a signal points at
its dossier and a mention at its person, and signals sits below casework.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from register.models import BirthPrecision, FollowUpAction, Person
from signals.models import Attachment, Signal, SignalPerson


class PersonIdentifier(models.Model):
    """A normalised value that can identify a person: a name variant, a phone, a document.

    Every mention linked to a person adds its values, so a later signal spelling the name as
    an earlier one did, or giving the same phone, finds the person.
    """

    class Kind(models.TextChoices):
        NAME = "name", _("name")
        SOUND = "sound", _("name as it sounds")
        PHONE = "phone", _("phone")
        DOCUMENT = "document", _("identity document")
        # Parts of a name, so a name with a word left out, misspelt or sounding alike still
        # finds its person (register.names): each word, each two words, each two words as
        # they sound, each word with one letter left out.
        PART = "part", _("name word")
        PAIR = "pair", _("two name words")
        PAIR_SOUND = "pair_sound", _("two name words as they sound")
        TYPO = "typo", _("name word with a letter left out")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="identifiers")
    # The mention it came from: what only a restricted dossier's signal says about a person
    # must not help anyone else find that person. Empty for what an analyst entered.
    mention = models.ForeignKey(SignalPerson, null=True, blank=True, on_delete=models.CASCADE,
                                related_name="identifiers")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    value = models.CharField(max_length=300)
    birth_date = models.DateField(null=True, blank=True)
    birth_year = models.PositiveSmallIntegerField(null=True, blank=True, db_index=True)
    birth_precision = models.CharField(max_length=5, choices=BirthPrecision.choices,
                                       default=BirthPrecision.DAY,
                                       # Bulk writers (bench/) that name no precision get one.
                                       db_default=BirthPrecision.DAY)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["person", "mention", "kind", "value"],
                                               name="unique_identifier_per_mention")]
        # A name or sound and a year of birth find a person among thousands of namesakes;
        # a name word and a date near the one given find a date written wrong.
        indexes = [models.Index(fields=["kind", "value", "birth_year"]),
                   models.Index(fields=["kind", "value", "birth_date"]),
                   models.Index(fields=["birth_date"])]


class NameFrequency(models.Model):
    """How many register persons have a name word, for the words many persons have.

    Refreshed on a schedule (casework.tasks.refresh_match_statistics): counting a word that a
    tenth of a million persons share costs too much per mention, a rare word is counted live.
    Only words with at least COMMON_WORD persons are kept, so the table stays small; a count
    that large says nothing about any one person, restricted dossier or not.
    """

    value = models.CharField(max_length=300, unique=True)
    persons = models.PositiveIntegerField()


class MatchWeights(models.Model):
    """The m-probabilities of the match scorer as learnt from the analysts' judgements, and
    the register's size, stored by a scheduled task (the newest row counts)."""

    m_probabilities = models.JSONField(default=dict)
    confirmed = models.PositiveIntegerField(default=0)
    rejected = models.PositiveIntegerField(default=0)
    persons = models.PositiveIntegerField(default=0)
    learnt_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-learnt_at", "-pk"]


class PersonMerge(models.Model):
    """A merge of `source` into `target`, with what moved, so that it can be undone exactly."""

    source = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    target = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    moved_mentions = models.JSONField(default=list)
    moved_roles = models.JSONField(default=list)
    dropped_roles = models.JSONField(default=list)
    added_identifiers = models.JSONField(default=list)
    merged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                  related_name="+")
    merged_at = models.DateTimeField(auto_now_add=True)
    undone_at = models.DateTimeField(null=True, blank=True)
    undone_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-merged_at"]


class MatchRejection(models.Model):
    """An analyst said this mention is not this person: never suggest the pair again."""

    mention = models.ForeignKey(SignalPerson, on_delete=models.CASCADE,
                                related_name="rejections")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    rejected_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    rejected_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["mention", "person"],
                                               name="unique_rejection")]


class SavedSearch(models.Model):
    """A search an analyst wants to run again, kept on the server (its words may be a name,
    which must never stand in a URL); shared with named colleagues, each of whom sees only
    what need to know lets them see when they run it."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                              related_name="saved_searches")
    name = models.CharField(_("name of the search"), max_length=100)
    query = models.CharField(_("search"), max_length=200)
    shared_with = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True,
                                         related_name="searches_shared_with_me",
                                         verbose_name=_("shared with"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("saved search")
        verbose_name_plural = _("saved searches")

    @property
    def audit_ref(self) -> str:
        return f"S-{self.pk}"


def _import_path(instance, filename: str) -> str:
    # A random stored name: the partner's file name may itself be personal data.
    return f"imports/{uuid.uuid4().hex}"


class SignalImport(models.Model):
    """One file of past signals for one organisation, from upload to its final report
    (casework/imports). Nothing becomes a signal before the analyst confirms the preview."""

    class Status(models.TextChoices):
        UPLOADED = "uploaded", _("Uploaded: choose the columns")
        PREVIEWED = "previewed", _("Checked: confirm to import")
        QUEUED = "queued", _("Waiting for the worker")
        RUNNING = "running", _("Importing")
        DONE = "done", _("Done")
        FAILED = "failed", _("Stopped")

    organisation = models.ForeignKey("register.Organisation", on_delete=models.PROTECT,
                                     related_name="+", verbose_name=_("organisation"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    file = models.FileField(upload_to=_import_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    kind = models.CharField(max_length=4)  # "csv" or "xlsx", by content
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    columns = models.JSONField(default=list)
    mapping = models.JSONField(default=dict)
    take_in = models.BooleanField(_("take straight into the register"), default=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.UPLOADED)
    rows_total = models.PositiveIntegerField(default=0)
    rows_done = models.PositiveIntegerField(default=0)
    new = models.PositiveIntegerField(default=0)
    imported = models.PositiveIntegerField(default=0)
    skipped = models.PositiveIntegerField(default=0)
    refused = models.PositiveIntegerField(default=0)
    report = models.FileField(upload_to=_import_path, max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # When the uploaded file and the report were deleted (IMPORT_FILE_KEEP_DAYS after the
    # import finished); the import's record and counts stay.
    files_purged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    @property
    def audit_ref(self) -> str:
        return f"I-{self.pk}"



class ImportCheckedRow(models.Model):
    """A row of an import as its preview checked it: the preview's pages read these instead
    of reading and checking the whole file again. They hold the file's values, so they go
    when the mapping changes, when the import is done, and with the file when it is purged."""

    source = models.ForeignKey(SignalImport, on_delete=models.CASCADE, related_name="checked")
    number = models.PositiveIntegerField()
    status = models.CharField(max_length=20)
    message = models.TextField(blank=True)
    reference = models.CharField(max_length=40, blank=True)
    payload = models.JSONField(default=dict)  # the row as the intake API takes it

    class Meta:
        ordering = ["number"]
        constraints = [models.UniqueConstraint(fields=["source", "number"],
                                               name="unique_checked_row_per_import")]

class ImportMapping(models.Model):
    """The last mapping of columns to fields used for an organisation's files, proposed again
    for its next file."""

    organisation = models.OneToOneField("register.Organisation", on_delete=models.CASCADE,
                                        related_name="+")
    mapping = models.JSONField(default=dict)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    updated_at = models.DateTimeField(auto_now=True)


class ImportedRow(models.Model):
    """A signal made from a row of a partner's file, under the row's stable key (the partner's
    own record number, else a hash of the row's content). One key per organisation, ever: the
    same or a corrected file imported again makes no second signal."""

    organisation = models.ForeignKey("register.Organisation", on_delete=models.PROTECT,
                                     related_name="+")
    key = models.CharField(max_length=110)
    signal = models.OneToOneField(Signal, on_delete=models.CASCADE, related_name="import_row")
    source = models.ForeignKey(SignalImport, on_delete=models.PROTECT, related_name="rows")
    row_number = models.PositiveIntegerField()
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organisation", "key"],
                                               name="unique_import_key_per_organisation")]
def _decision_path(instance, filename: str) -> str:
    return f"task-decisions/{uuid.uuid4().hex}"


class FollowUpTask(models.Model):
    """A follow-up action asked of another organisation: a task for its portfolio holders.

    The brief and the attachments the analyst chose to share are all the partner sees of the
    register; sharing them is a recorded disclosure. What the partner did is recorded on the
    follow-up action itself (outcome, date), so the dossier and the MoU figures show it where
    they always did.
    """

    class State(models.TextChoices):
        ASKED = "asked", _("Asked")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")

    action = models.OneToOneField(FollowUpAction, on_delete=models.CASCADE, related_name="task")
    brief = models.TextField(_("brief for the partner"))
    shared_attachments = models.ManyToManyField(Attachment, blank=True, related_name="+",
                                                verbose_name=_("attachments shared"))
    state = models.CharField(_("state"), max_length=10, choices=State.choices,
                             default=State.ASKED, db_index=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decline_reason = models.TextField(_("reason for declining"), blank=True)
    decision_document = models.FileField(upload_to=_decision_path, max_length=200, blank=True)
    decision_document_type = models.CharField(max_length=50, blank=True)
    # The daily reminder claims each task once per day (an UPDATE only one run can win), so a
    # second beat or a retried job never tells anyone twice.
    reminded_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("follow-up task")
        verbose_name_plural = _("follow-up tasks")

    @property
    def audit_ref(self) -> str:
        return f"T-{self.pk}"


class FollowUpProgress(models.Model):
    """A line of progress the partner records on a task, e.g. "hearing set for 3 March"."""

    task = models.ForeignKey(FollowUpTask, on_delete=models.CASCADE, related_name="progress")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                               related_name="+")
    text = models.TextField(_("progress"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
