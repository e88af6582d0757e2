"""Victims in the field names of the IOM Human Trafficking Case Data Standard, as the Counter
Trafficking Data Collaborative publishes them, and the anonymised research release.

Only these quasi-identifiers ever leave: age band, sex, citizenship, form of exploitation,
year and island; no name, date, place or number. The research release is k-anonymous: every
combination it contains occurs at least k times (k = settings.RESEARCH_RELEASE_K, 11 by
default, as the CTDC's). Rows in smaller groups are first generalised, one field at a time
(island to the Caribbean Netherlands, age band to adult or minor, citizenship to "other",
form to "other"), and what is still in a group under k is suppressed; the release states
how many rows were generalised in each field and how many were suppressed.
"""

from collections import Counter
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import OuterRef, Subquery

from register.models import DossierPerson, User
from register.services.audit import audit_record
from reporting.figures import PRESUMED
from signals.models import Signal, SignalPerson

# Register field -> HTCDS / CTDC field name.
HTCDS_FIELDS = {"year": "yearOfRegistration", "sex": "gender", "age_band": "ageBroad",
                "citizenship": "citizenship", "form": "typeOfExploitConcatenated",
                "island": "islandOfExploitation"}
COUNTRY_OF_EXPLOITATION = "BQ"
HTCDS_COLUMNS = [*HTCDS_FIELDS.values(), "CountryOfExploitation"]
GENDER = {"female": "Female", "male": "Male", "other": "Other"}
FORM = {"sexual_exploitation": "Sexual exploitation", "labour_exploitation": "Forced labour",
        "criminal_exploitation": "Forced criminal activity",
        "organ_removal": "Removal of organs", "forced_marriage": "Forced marriage",
        "people_smuggling": "Other", "other": "Other"}
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


def victim_rows(first_year: int, last_year: int) -> list[dict]:
    """One row per presumed victim per year (their first role of the year), in register
    codes: two queries' worth of columns, none of them identifying on its own."""
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
                     "form_of_exploitation", "island"))
    rows, seen = [], set()
    for person, day, sex, age, citizenship, form, island in roles:
        if (person, day.year) in seen:
            continue
        seen.add((person, day.year))
        rows.append({"year": day.year, "sex": GENDER.get(sex or "", UNKNOWN),
                     "age_band": age if age and age != "unknown" else UNKNOWN,
                     "citizenship": citizenship or UNKNOWN,
                     "form": FORM.get(form or "", UNKNOWN),
                     "island": island or UNKNOWN})
    return rows


def htcds(row: dict) -> dict:
    return {**{HTCDS_FIELDS[name]: row[name] for name in QUASI},
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


def htcds_export(*, actor: User, first_year: int, last_year: int) -> list[dict]:
    """Every presumed victim of the years in HTCDS field names, audited as a disclosure."""
    rows = victim_rows(first_year, last_year)
    with transaction.atomic():
        audit_record(actor=actor, action="reporting.htcds.exported",
                     object_type="reporting.disclosure",
                     detail={"first_year": first_year, "last_year": last_year,
                             "rows": len(rows)})
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
