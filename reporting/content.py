"""What a report contains, as one context for the PDF template, the dashboard and the
exchange files. Every count that leaves the register passes `suppress`."""

from django.utils.translation import gettext as _

from register.models import FollowUpAction
from reporting import figures
from reporting.charts import bar_chart
from reporting.figures import Period, suppress
from reporting.models import ReportKind
from signals.vocab import ExploitationForm, Island, Sector, Sex

LABELS = {**dict(ExploitationForm.choices), **dict(Island.choices), **dict(Sector.choices),
          **dict(FollowUpAction.Kind.choices), **dict(Sex.choices)}


def _label(code: str) -> str:
    return str(LABELS.get(code, code or _("unknown")))


def report_context(kind: str, period: Period, *, island: str = "",
                   suppress_counts: bool = True) -> dict:
    count = suppress if suppress_counts else (lambda n: n)

    def rows(values, label=True):
        return [(_label(c) if label else (c or _("unknown")), count(n)) for c, n in values]

    signals = figures.signal_figures(period, island)
    cases = figures.case_figures(period)
    victims = figures.victim_figures(period)
    year = period.end.year
    mou = [figures.mou_figures(y) for y in range(year - 2, year + 1)]
    controls = figures.control_figures(year)
    sections = {
        "signals_by_form": rows(signals.by_form),
        "signals_by_island": rows(signals.by_island),
        "signals_by_sector": rows(signals.by_sector),
        "signals_by_organisation": rows(signals.by_organisation, label=False),
        "signals_by_month": rows(signals.by_month, label=False),
        "follow_ups_by_kind": rows(cases.follow_ups_by_kind),
        "follow_ups_by_organisation": rows(cases.follow_ups_by_organisation, label=False),
        "victims_by_sex": rows(victims.by_sex),
        "victims_by_age_band": rows(victims.by_age_band, label=False),
        "victims_by_nationality": rows(victims.by_nationality, label=False),
        "victims_by_form": rows(victims.by_form),
    }
    return {
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
        "mou": [{"year": m.year, "victims": count(m.victims), "suspects": count(m.suspects),
                 "investigations": count(m.investigations),
                 "prosecutions": count(m.prosecutions), "verdicts": count(m.verdicts),
                 "convictions": count(m.convictions)} for m in mou],
        "controls": controls,
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
