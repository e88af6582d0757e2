"""Victims in the field names the IOM publishes them in (the Counter Trafficking Data
Collaborative's global dataset, built on the Human Trafficking Case Data Standard), and the
anonymised research release.

Only these quasi-identifiers ever leave: age band, sex, citizenship, form of exploitation,
year and island; no name, date, place or number. The research release is k-anonymous: every
combination it contains occurs at least k times (k = settings.RESEARCH_RELEASE_K, 11 by
default, as the CTDC's). Rows in smaller groups are first generalised, one field at a time
(island to the Caribbean Netherlands, age band to adult or minor, citizenship to "other",
form to "other"), and what is still in a group under k is suppressed; the release states
how many rows were generalised in each field and how many were suppressed.

Where the field names come from (checked, not remembered):

- The HTCDS itself (github.com/UNMigration/HTCDS, "HTCDS Field Reference.md") is a schema
  for case-management systems, with prefixed fields per table: prs_Gender (values Male,
  Female, Transgender/NonConforming, Unknown), prs_Nationality (ISO 3166 two-letter codes),
  prs_Birthdate, vic_TypeOfLabourExploitation (e.g. IllicitActivities, Begging),
  vic_TypeOfSexExploitation, vic_LocationOfExploitation. It has no registration year, no age
  band and no single "form of exploitation" field, so a file of anonymised victims cannot
  be written in its field names alone.
- Anonymised victims are exchanged in the columns of the CTDC global dataset (the k=11
  download, https://www.ctdatacollaborative.org/global-dataset; CTDC Data Codebook v6,
  https://scribd.com/document/531370211/CTDC-codebook-v6-0): yearOfRegistration, gender,
  ageBroad, majorityStatus, citizenship, isForcedLabour, isSexualExploit, isOtherExploit,
  isForcedMarriage, isOrganRemoval, typeOfLabourIllicitActivities,
  typeOfExploitConcatenated, CountryOfExploitation. Those are the names used here.
- ageBroad holds the CTDC's own bands (0--8, 9--17, 18--20, ..., 48+), which the register's
  Eurostat bands (0-17, 18-24, 25-34, 35-49, 50+) cannot be converted into: the file gives
  majorityStatus (Adult or Minor) and the register's band in a column of its own,
  cnAgeBand; the island is cnIsland. Both "cn" columns are this register's additions, not
  the standard's.
"""

from collections import Counter
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import OuterRef, Subquery

from register.models import DossierPerson, User
from register.models.disclosures import Channel
from register.services.audit import audit_record
from register.services.disclosures import disclosed, record_disclosure
from reporting.figures import PRESUMED
from signals.models import Signal, SignalPerson

# Register field -> CTDC global dataset column (see above); "cn" columns are our own.
HTCDS_FIELDS = {"year": "yearOfRegistration", "sex": "gender", "age_band": "cnAgeBand",
                "citizenship": "citizenship", "form": "typeOfExploitConcatenated",
                "island": "cnIsland"}
COUNTRY_OF_EXPLOITATION = "BQ"
# The CTDC's yes/no columns of the form of exploitation, derived from the form.
FORM_FLAGS = ("isForcedLabour", "isSexualExploit", "isForcedMarriage", "isOrganRemoval",
              "isOtherExploit", "typeOfLabourIllicitActivities")
HTCDS_COLUMNS = ["yearOfRegistration", "gender", "majorityStatus", "cnAgeBand", "citizenship",
                 "typeOfExploitConcatenated", *FORM_FLAGS, "CountryOfExploitation",
                 "cnIsland"]
# The register's "other" sex is the standard's non-binary value (prs_Gender).
GENDER = {"female": "Female", "male": "Male", "other": "Transgender/NonConforming"}
FORM = {"sexual_exploitation": "Sexual exploitation", "labour_exploitation": "Forced labour",
        "criminal_exploitation": "Forced criminal activity",
        "organ_removal": "Removal of organs", "forced_marriage": "Forced marriage",
        "people_smuggling": "Other", "other": "Other"}
# Which yes/no columns each form sets: forced criminal activity is labour exploitation in
# illicit activities, as the HTCDS's vic_TypeOfLabourExploitation has it.
FLAGS = {"Sexual exploitation": {"isSexualExploit"}, "Forced labour": {"isForcedLabour"},
         "Forced criminal activity": {"isForcedLabour", "typeOfLabourIllicitActivities"},
         "Removal of organs": {"isOrganRemoval"}, "Forced marriage": {"isForcedMarriage"},
         "Other": {"isOtherExploit"}}
UNKNOWN = "Unknown"
QUASI = ("year", "sex", "age_band", "citizenship", "form", "island")
# The order fields are generalised in: the least useful to researchers first.
GENERALISE = {
    "island": lambda value: "Caribbean Netherlands",
    "age_band": lambda value: value if value == UNKNOWN else (
        "Minor" if value == "0-17" else "Adult"),
    "citizenship": lambda value: "Other",
    "form": lambda value: "Other",
}


def victim_rows(first_year: int, last_year: int, *, with_ids: bool = False) -> list[dict]:
    """One row per presumed victim per year (their first role of the year), in register
    codes: one query's worth of columns, none of them identifying on its own. with_ids adds
    the person's and the dossier's ids and the dossier's number (for the disclosure ledger,
    never for the file)."""
    first_mention = SignalPerson.objects.filter(person=OuterRef("person")).order_by("pk")
    first_island = Signal.objects.filter(dossier=OuterRef("dossier")).order_by("pk")
    roles = (DossierPerson.objects.filter(
        role="victim", victim_status__in=PRESUMED, dossier__merged_into__isnull=True,
        identified_on__year__gte=first_year, identified_on__year__lte=last_year)
        .annotate(sex=Subquery(first_mention.values("sex")[:1]),
                  age=Subquery(first_mention.values("age_band")[:1]),
                  citizenship=Subquery(first_mention.values("nationality")[:1]),
                  island=Subquery(first_island.values("island")[:1]))
        .order_by("identified_on", "pk")
        .values_list("person", "identified_on", "sex", "age", "citizenship",
                     "form_of_exploitation", "island", "dossier", "dossier__number"))
    rows, seen = [], set()
    for person, day, sex, age, citizenship, form, island, dossier, number in roles:
        if (person, day.year) in seen:
            continue
        seen.add((person, day.year))
        rows.append({"year": day.year, "sex": GENDER.get(sex or "", UNKNOWN),
                     "age_band": age if age and age != "unknown" else UNKNOWN,
                     "citizenship": citizenship or UNKNOWN,
                     "form": FORM.get(form or "", UNKNOWN),
                     "island": island or UNKNOWN,
                     **({"person": person, "dossier": dossier, "number": number}
                        if with_ids else {})})
    return rows


def majority(age_band: str) -> str:
    """The CTDC's majorityStatus of a register age band (or of a generalised one)."""
    if age_band in ("0-17", "Minor"):
        return "Minor"
    return UNKNOWN if age_band == UNKNOWN else "Adult"


def htcds(row: dict) -> dict:
    """A row in the CTDC global dataset's columns (yes/no columns as 1 or 0)."""
    flags = FLAGS.get(row["form"], set())
    return {**{HTCDS_FIELDS[name]: row[name] for name in QUASI},
            "majorityStatus": majority(row["age_band"]),
            **{flag: int(flag in flags) for flag in FORM_FLAGS},
            "CountryOfExploitation": COUNTRY_OF_EXPLOITATION}


@dataclass
class Release:
    k: int
    records: list[dict]
    rows_in: int
    suppressed: int = 0
    generalised: dict[str, int] = field(default_factory=dict)

    @property
    def report(self) -> dict:
        return {"k": self.k, "victims": self.rows_in, "released": len(self.records),
                "suppressed": self.suppressed,
                "generalised": {HTCDS_FIELDS[name]: n for name, n in self.generalised.items()}}


def _key(row: dict) -> tuple:
    return tuple(row[name] for name in QUASI)


def k_anonymise(rows: list[dict], k: int) -> Release:
    """Rows in groups under k generalised field by field, the rest of them suppressed."""
    rows = [dict(row) for row in rows]
    generalised = {}
    for name, widen in GENERALISE.items():
        sizes = Counter(_key(row) for row in rows)
        small = [row for row in rows if sizes[_key(row)] < k]
        if not small:
            break
        changed = 0
        for row in small:
            wider = widen(row[name])
            if wider != row[name]:
                row[name] = wider
                changed += 1
        generalised[name] = changed
    sizes = Counter(_key(row) for row in rows)
    kept = [row for row in rows if sizes[_key(row)] >= k]
    release = Release(k=k, records=[htcds(row) for row in kept], rows_in=len(rows),
                      suppressed=len(rows) - len(kept), generalised=generalised)
    if any(n < k for n in Counter(_key(row) for row in kept).values()):
        raise RuntimeError("a released combination occurs fewer than k times")
    return release


def htcds_export(*, actor: User, first_year: int, last_year: int,
                 recipient_organisation: str, legal_ground: str, purpose: str,
                 kept_until, recipient_person: str = "") -> list[dict]:
    """Every presumed victim of the years, row by row (not k-anonymous): a disclosure, so
    recorded in the ledger with its recipient, ground, purpose and keeping date, with each
    victim as a disclosed person (a data-subject search finds it), in one transaction with
    the audit event. Refused (ValidationError at the field) without a recipient or ground."""
    rows = victim_rows(first_year, last_year, with_ids=True)
    with transaction.atomic():
        audit_record(actor=actor, action="reporting.htcds.exported",
                     object_type="reporting.disclosure",
                     detail={"first_year": first_year, "last_year": last_year,
                             "rows": len(rows)})
        if rows:
            record_disclosure(
                actor=actor, channel=Channel.EXPORT,
                objects=[disclosed("register.person", row["person"], row["number"])
                         for row in rows],
                recipient_organisation=recipient_organisation,
                recipient_person=recipient_person, legal_ground=legal_ground,
                purpose=purpose, kept_until=kept_until)
    return [htcds(row) for row in rows]


def research_release(*, actor: User, first_year: int, last_year: int, k: int) -> Release:
    """The k-anonymous release of the years, audited as a disclosure with what it left out."""
    release = k_anonymise(victim_rows(first_year, last_year), k)
    with transaction.atomic():
        audit_record(actor=actor, action="reporting.research_release.made",
                     object_type="reporting.disclosure",
                     detail={"first_year": first_year, "last_year": last_year, "k": k,
                             "released": len(release.records),
                             "suppressed": release.suppressed})
    return release
