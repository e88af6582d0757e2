"""What a report contains, as one context for the PDF template, the dashboard and the
exchange files. Every count that leaves the register passes `suppress`."""

import datetime as dt

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from register.models import FollowUpAction, Organisation
from register.ui import classification
from reporting import figures, rollup
from reporting.charts import bar_chart
from reporting.figures import Period, suppress
from reporting.kingdom import FIELDS as KINGDOM_FIELDS
from reporting.kingdom import kingdom_table
from reporting.models import KingdomFigures, ReportKind
from reporting.summary import key_figures
from signals.countries import country_name
from signals.vocab import AgeBand, ExploitationForm, Island, Sector, Sex

LABELS = {**dict(ExploitationForm.choices), **dict(Island.choices), **dict(Sector.choices),
          **dict(FollowUpAction.Kind.choices), **dict(Sex.choices), **dict(AgeBand.choices)}
# KPCN owns and manages the register (covenant): its name heads every page of a report.
MANAGING_ORGANISATION = "kpcn"


def _label(code: str) -> str:
    return str(LABELS.get(code, code or _("unknown")))


def managing_organisation() -> str:
    return (Organisation.objects.filter(code=MANAGING_ORGANISATION)
            .values_list("name", flat=True).first() or MANAGING_ORGANISATION.upper())


class Names:
    """Readers see names, never codes: organisations by their name, nationalities by the
    country's name in the report's language, months written out."""

    def __init__(self):
        self.organisations = dict(Organisation.objects.values_list("code", "name"))

    def organisation(self, code: str) -> str:
        # The controls overview writes codes in capitals (KMAR); codes are lower case.
        return self.organisations.get(code.lower(), code) if code else _("unknown")

    def country(self, code: str) -> str:
        return country_name(code) if code and code != "unknown" else _("unknown")

    @staticmethod
    def month(code: str) -> str:
        year, month = code.split("-")
        return date_format(dt.date(int(year), int(month), 1), "YEAR_MONTH_FORMAT")


def report_context(kind: str, period: Period, *, island: str = "",
                   suppress_counts: bool = True) -> dict:
    # A report reads a dozen figures of a few years: each year's rollup is checked for
    # freshness and loaded once for the whole report, and again for the next one.
    with rollup.reading():
        return _context(kind, period, island, suppress_counts)


def _context(kind: str, period: Period, island: str, suppress_counts: bool) -> dict:
    count = suppress if suppress_counts else (lambda n: n)

    names = Names()

    def rows(values, label=_label):
        return [(label(c), count(n)) for c, n in values]

    # A whole year's figures come from the rollup while nothing changed since it was counted.
    signals = rollup.signal_figures(period, island)
    cases = rollup.case_figures(period)
    victims = rollup.victim_figures(period)
    year = period.end.year
    mou = [rollup.mou_figures(y) for y in range(year - 2, year + 1)]
    controls = figures.control_figures(year)
    for row in controls:
        row.initiated_by = {names.organisation(c): n for c, n in row.initiated_by.items()}
        row.directed_by = {names.organisation(c): n for c, n in row.directed_by.items()}
    sections = {
        "signals_by_form": rows(signals.by_form),
        "signals_by_island": rows(signals.by_island),
        "signals_by_sector": rows(signals.by_sector),
        "signals_by_organisation": rows(signals.by_organisation, names.organisation),
        "signals_by_month": rows(signals.by_month, names.month),
        "follow_ups_by_kind": rows(cases.follow_ups_by_kind),
        "follow_ups_by_organisation": rows(cases.follow_ups_by_organisation,
                                           names.organisation),
        "victims_by_sex": rows(victims.by_sex),
        "victims_by_age_band": rows(victims.by_age_band),
        "victims_by_nationality": rows(victims.by_nationality, names.country),
        "victims_by_form": rows(victims.by_form),
    }
    codes = {"signals_by_form": signals.by_form, "signals_by_island": signals.by_island,
             "signals_by_sector": signals.by_sector,
             "signals_by_organisation": signals.by_organisation,
             "signals_by_month": signals.by_month, "follow_ups_by_kind": cases.follow_ups_by_kind,
             "victims_by_sex": victims.by_sex, "victims_by_age_band": victims.by_age_band,
             "victims_by_nationality": victims.by_nationality,
             "victims_by_form": victims.by_form}
    return {
        # Each table's codes in its rows' order: the dashboard links them to what lies behind.
        "codes": {name: [code for code, _n in values] for name, values in codes.items()},
        "kind": kind,
        "title": dict(ReportKind.choices)[kind],
        "period": period,
        "island": island,
        "signals_total": count(signals.total),
        "not_taken_up": count(signals.not_taken_up),
        "days_to_triage": signals.days_to_triage,
        "days_to_follow_up": signals.days_to_follow_up,
        "dossiers_opened": count(cases.dossiers_opened),
        "dossiers_closed": count(cases.dossiers_closed),
        "victims_total": count(victims.total),
        "follow_up_by_partner": [
            {"organisation": names.organisation(code), "asked": count(asked),
             "accepted": count(accepted), "on_time": count(on_time),
             "overdue": count(overdue)}
            for code, asked, accepted, on_time, overdue in figures.task_figures(period)],
        "mou": [{"year": m.year, "victims": count(m.victims), "suspects": count(m.suspects),
                 "investigations": count(m.investigations),
                 "prosecutions": count(m.prosecutions), "verdicts": count(m.verdicts),
                 "convictions": count(m.convictions)} for m in mou],
        "controls": controls,
        # The other countries' figures, once the coordinator imported any for the year.
        "kingdom": (kingdom_table([year], {year: {
            name: suppress(getattr(mou[-1], name)) for name in KINGDOM_FIELDS}})
            if kind == ReportKind.ANNUAL and KingdomFigures.objects.filter(year=year).exists()
            else None),
        "summary": [figure.sentence for figure in key_figures(period, count)],
        # Multiple systems estimation: a year's view, so in the annual report (and the
        # dashboard, which shows a year) only; fitted with the rollup while that is fresh.
        "hidden_number": (rollup.hidden_number(period, island, suppress_counts=suppress_counts)
                          if kind == ReportKind.ANNUAL else None),
        "classification": classification(),
        "managing_organisation": managing_organisation(),
        "tables": sections,
        "charts": {
            "signals_by_form": bar_chart(_("Signals by form"), sections["signals_by_form"]),
            "signals_by_island": bar_chart(_("Signals by island"),
                                           sections["signals_by_island"]),
            "signals_by_month": bar_chart(_("Signals by month"), sections["signals_by_month"]),
            "follow_ups_by_kind": bar_chart(_("Follow-up by kind"),
                                            sections["follow_ups_by_kind"]),
        },
    }
