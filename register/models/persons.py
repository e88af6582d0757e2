from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Person(models.Model):
    """A person in the register, to which the mentions in signals are linked.

    The details are those of the first mention, completed by the analyst; every mention keeps
    its own spelling, and the identifiers table holds all known variants for matching.
    """

    family_name = models.CharField(_("family name"), max_length=150, blank=True)
    given_names = models.CharField(_("given names"), max_length=150, blank=True)
    alias = models.CharField(_("alias"), max_length=150, blank=True)
    sex = models.CharField(_("sex"), max_length=10, blank=True)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    nationality = models.CharField(_("nationality"), max_length=2, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    # A merged person points to the one it was merged into; unmerging clears it again.
    merged_into = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="merged_persons")
    merged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("persons")

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        name = " ".join(p for p in (self.given_names, self.family_name) if p)
        return name or self.alias or f"#{self.pk}"

    @property
    def audit_ref(self) -> str:
        return f"P-{self.pk}"


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
    # The mention (signals.SignalPerson) it came from: what only a restricted dossier's signal
    # says about a person must not help anyone else find that person. A plain id, because the
    # core may not depend on the signals app.
    mention_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    value = models.CharField(max_length=300)
    birth_date = models.DateField(null=True, blank=True)
    birth_year = models.PositiveSmallIntegerField(null=True, blank=True, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["person", "mention_id", "kind", "value"],
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
