"""Core vocabularies shared by signals and dossiers (the annual figures count by them)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ExploitationForm(models.TextChoices):
    SEXUAL = "sexual_exploitation", _("Sexual exploitation")
    LABOUR = "labour_exploitation", _("Labour exploitation (forced labour, servitude)")
    CRIMINAL = "criminal_exploitation", _(
        "Criminal exploitation (forced criminal activity, forced begging)"
    )
    ORGAN_REMOVAL = "organ_removal", _("Removal of organs")
    FORCED_MARRIAGE = "forced_marriage", _("Forced marriage")
    SMUGGLING = "people_smuggling", _("People smuggling")
    OTHER = "other", _("Other or unknown")
