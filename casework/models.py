"""Casework's own records: the match index, merges of persons, and rejected suggestions.

The persons and dossiers themselves live in the core (register), because a signal points at
its dossier and a mention at its person, and signals sits below casework.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from register.models import Person
from signals.models import SignalPerson


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

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="identifiers")
    # The mention it came from: what only a restricted dossier's signal says about a person
    # must not help anyone else find that person. Empty for what an analyst entered.
    mention = models.ForeignKey(SignalPerson, null=True, blank=True, on_delete=models.CASCADE,
                                related_name="identifiers")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    value = models.CharField(max_length=300)
    birth_date = models.DateField(null=True, blank=True)
    birth_year = models.PositiveSmallIntegerField(null=True, blank=True, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["person", "mention", "kind", "value"],
                                               name="unique_identifier_per_mention")]
        # A name or sound and a year of birth find a person among thousands of namesakes.
        indexes = [models.Index(fields=["kind", "value", "birth_year"]),
                   models.Index(fields=["birth_date"])]


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
