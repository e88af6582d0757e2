"""The vocabularies of the standard signal form.

Codes are the stable contract of the intake API; labels are translated. Sources: art. 286f and
203a-d Wetboek van Strafrecht BES, the IOM Human Trafficking Case Data Standard (HTCDS 2.0),
the ILO indicators of forced labour, and the inspection report's high-risk sectors.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from register.vocab import ExploitationForm

__all__ = ["ExploitationForm"]  # a core vocabulary: dossiers count by it too


class Island(models.TextChoices):
    BONAIRE = "bonaire", _("Bonaire")
    SINT_EUSTATIUS = "sint_eustatius", _("Sint Eustatius")
    SABA = "saba", _("Saba")
    AT_SEA = "at_sea", _("At sea")
    OUTSIDE_CN = "outside_cn", _("Outside the Caribbean Netherlands")


class Sector(models.TextChoices):
    CONSTRUCTION = "construction", _("Construction")
    HOSPITALITY = "hospitality", _("Hospitality (hotels, restaurants, bars)")
    SEX_WORK = "sex_work", _("Prostitution / sex work")
    DOMESTIC_WORK = "domestic_work", _("Domestic work")
    AGRICULTURE_FISHING = "agriculture_fishing", _("Agriculture and fishing")
    RETAIL = "retail", _("Retail")
    OTHER = "other", _("Other sector")
    # The one code for "not known": a blank sector meant the same and was merged into this
    # (migration signals 0005).
    UNKNOWN = "unknown", _("Not known / not applicable")


class Indicator(models.TextChoices):
    """ILO forced-labour indicators merged with the HTCDS methods of control, without doubles."""

    ABUSE_OF_VULNERABILITY = "abuse_of_vulnerability", _("Abuse of vulnerability")
    DECEPTION = "deception", _("Deception or false promises")
    RESTRICTED_MOVEMENT = "restriction_of_movement", _("Restriction of movement")
    ISOLATION = "isolation", _("Isolation")
    PHYSICAL_VIOLENCE = "physical_violence", _("Physical violence or abuse")
    SEXUAL_VIOLENCE = "sexual_violence", _("Sexual violence or abuse")
    THREATS = "intimidation_threats", _("Intimidation and threats")
    THREATS_LAW_ENFORCEMENT = "threats_law_enforcement", _("Threats of police or deportation")
    THREATS_FAMILY = "threats_to_family", _("Threats to family")
    DOCUMENTS_RETAINED = "retention_of_documents", _("Identity documents withheld")
    WAGES_WITHHELD = "withholding_of_wages", _("Wages withheld or earnings taken")
    DEBT_BONDAGE = "debt_bondage", _("Debt bondage")
    ABUSIVE_CONDITIONS = "abusive_conditions", _("Abusive working and living conditions")
    EXCESSIVE_HOURS = "excessive_hours", _("Excessive working hours")
    FINANCIAL_ACCESS = "restricts_financial_access", _("No access to own money or bank account")
    MEDICAL_CARE = "restricts_medical_care", _("Medical care withheld")
    NECESSITIES = "withholds_necessities", _("Food, water or sleep withheld")
    PSYCHOLOGICAL_ABUSE = "psychological_abuse", _("Psychological abuse")
    SUBSTANCES = "psychoactive_substances", _("Forced or induced use of drugs or alcohol")
    OTHER = "other", _("Other indicator")


class PersonRole(models.TextChoices):
    VICTIM = "victim", _("Possible victim")
    SUSPECT = "suspect", _("Possible suspect")
    WITNESS = "witness", _("Witness")
    OTHER = "other", _("Other")


class Sex(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    OTHER = "other", _("Other")
    UNKNOWN = "unknown", _("Unknown")


class DocumentType(models.TextChoices):
    PASSPORT = "passport", _("Passport")
    ID_CARD = "id_card", _("Identity card")
    RESIDENCE_PERMIT = "residence_permit", _("Residence permit")
    DRIVING_LICENCE = "driving_licence", _("Driving licence")
    OTHER = "other", _("Other document")


class VehicleKind(models.TextChoices):
    VESSEL = "vessel", _("Vessel (boat, ship)")
    CAR = "car", _("Car or van")
    AIRCRAFT = "aircraft", _("Aircraft")
    OTHER = "other", _("Other")


class Channel(models.TextChoices):
    WEB = "web", _("Web form")
    API = "api", _("Partner system (API)")
    PAPER = "paper", _("Paper (entered by an analyst)")
    IMPORT = "import", _("Imported from a partner's file")


class BorderPlace(models.TextChoices):
    """Where persons arriving or smuggled were met or intercepted."""

    AIRPORT = "airport", _("Airport")
    SEAPORT = "seaport", _("Seaport")
    COAST = "coast", _("Coast")
    AT_SEA = "at_sea", _("At sea")
    OTHER = "other", _("Other place")


class BorderOutcome(models.TextChoices):
    """What happened to the persons at the border."""

    REFUSED_ENTRY = "refused_entry", _("Refused entry")
    DETAINED = "detained", _("Detained")
    HANDED_TO_IND = "handed_to_ind", _("Handed to IND")
    RETURNED = "returned", _("Returned")
    OTHER = "other", _("Other or not known")


# Organisations whose signals are mostly about the border: their form opens the border section.
BORDER_ORGANISATIONS = ("kmar", "kustwacht", "douane")


class SignalStatus(models.TextChoices):
    RECEIVED = "received", _("Received")
    IN_TRIAGE = "in_triage", _("In triage")
    QUESTION = "question", _("Question for the reporter")
    IN_REGISTER = "in_register", _("In the register")
    NOT_TAKEN_UP = "not_taken_up", _("Not taken up")


class AgeBand(models.TextChoices):
    """Eurostat-style bands for the annual figures on presumed victims."""

    MINOR = "0-17", _("0-17 (minor)")
    YOUNG = "18-24", _("18-24")
    ADULT = "25-34", _("25-34")
    MIDDLE = "35-49", _("35-49")
    OLDER = "50+", _("50 and older")
    UNKNOWN = "unknown", _("Unknown")

    @classmethod
    def for_age(cls, age: int | None) -> "AgeBand":
        if age is None or age < 0:
            return cls.UNKNOWN
        for band, upper in ((cls.MINOR, 17), (cls.YOUNG, 24), (cls.ADULT, 34), (cls.MIDDLE, 49)):
            if age <= upper:
                return band
        return cls.OLDER


class SourceReliability(models.TextChoices):
    """Police intelligence grading of the source."""

    A = "A", _("A - completely reliable")
    B = "B", _("B - usually reliable")
    C = "C", _("C - fairly reliable")
    D = "D", _("D - reliability unknown")


class InformationReliability(models.TextChoices):
    ONE = "1", _("1 - confirmed by other sources")
    TWO = "2", _("2 - probably true")
    THREE = "3", _("3 - possibly true")
    FOUR = "4", _("4 - cannot be judged")


OPEN_STATUSES = (SignalStatus.RECEIVED, SignalStatus.IN_TRIAGE, SignalStatus.QUESTION)
