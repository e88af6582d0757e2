"""A worklist as the analyst filtered it, as a CSV or Excel file.

The file starts with the classification marking and the moment of export, like a report; the
columns are those of the list on the screen. Cells that start like a formula are written as
text, so a spreadsheet never runs what a partner typed.
"""

import csv
import datetime as dt
import io
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from openpyxl import Workbook

from register.models import User
from register.models.disclosures import Channel, LegalGround
from register.services.disclosures import disclosed, record_disclosure
from register.ui import classification, spreadsheet_safe


def export_disclosed(*, actor: User, rows: Iterable) -> None:
    """A list export is a disclosure: the rows leave the register in a file the analyst holds,
    for the analyst's own organisation's police task, to be deleted after EXPORT_KEEP_DAYS.
    Recorded in the ledger (call inside the transaction that audits the export)."""
    objects = [disclosed(row._meta.label_lower, row.pk, getattr(row, "audit_ref", ""))
               for row in rows]
    if not objects:
        return
    record_disclosure(
        actor=actor, objects=objects, channel=Channel.EXPORT,
        recipient_organisation=actor.organisation.name, legal_ground=LegalGround.POLICE_TASK,
        purpose=_("List export"),
        kept_until=timezone.localdate() + dt.timedelta(days=settings.EXPORT_KEEP_DAYS))


@dataclass(frozen=True)
class Sheet:
    title: str
    header: list[str]
    rows: list[list[str]]

    def marking(self) -> list[str]:
        return [classification().upper(), self.title,
                _("Exported %(moment)s") % {"moment": date_format(
                    timezone.localtime(), "DATETIME_FORMAT")}]


def signal_sheet(signals: Iterable) -> Sheet:
    return Sheet(_("Signals"), [
        _("Reference"), _("Received"), _("From"), _("Island"), _("Forms"), _("Sector"),
        _("Status"), _("Taken up by"), _("Immediate danger")], [
        [s.reference, date_format(timezone.localtime(s.received_at), "SHORT_DATETIME_FORMAT"),
         s.reporter_organisation.code.upper(), s.get_island_display(),
         "; ".join(str(f.get_code_display()) for f in s.forms.all()), s.get_sector_display(),
         s.get_status_display(), s.taken_up_by.display_name if s.taken_up_by else "",
         _("Yes") if s.immediate_danger else _("No")] for s in signals])


def dossier_sheet(dossiers: Iterable) -> Sheet:
    return Sheet(_("Dossiers"), [
        _("Number"), _("Working title"), _("Status"), _("Priority"), _("Signals"),
        _("Updated"), _("Restricted"), _("Assigned to")], [
        [d.number, d.title, d.get_status_display(), d.get_priority_display(),
         str(d.signal_count), date_format(timezone.localtime(d.updated_at), "SHORT_DATE_FORMAT"),
         _("Yes") if d.restricted else _("No"),
         "; ".join(a.display_name for a in d.assigned_analysts.all())] for d in dossiers])


def follow_up_sheet(actions: Iterable) -> Sheet:
    return Sheet(_("Follow-up"), [
        _("Dossier"), _("Action"), _("Responsible"), _("Due on"), _("Outcome"),
        _("Date it happened"), _("Explanation")], [
        [a.dossier.number, a.get_kind_display(), a.responsible_organisation.code.upper(),
         _date(a.due_on), a.get_outcome_display(), _date(a.happened_on), a.explanation]
        for a in actions])


def person_sheet(persons: Iterable) -> Sheet:
    """Persons as the analyst may see them (casework.person_facts.attach_visible_facts)."""
    return Sheet(_("Persons"), [
        _("Number"), _("Name"), _("Alias"), _("Date of birth"), _("Nationality"),
        _("Last named in a signal")], [
        [p.audit_ref, p.shown_name, p.shown_alias, _date(p.shown_birth), p.shown_nationality,
         date_format(timezone.localtime(p.last_seen), "SHORT_DATE_FORMAT")] for p in persons])


def _date(value) -> str:
    return date_format(value, "SHORT_DATE_FORMAT") if value else ""


def as_csv(sheet: Sheet) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(sheet.marking())
    writer.writerow([])
    for row in [sheet.header, *sheet.rows]:
        writer.writerow([spreadsheet_safe(cell) for cell in row])
    # A byte-order mark, so a spreadsheet reads accents and the euro sign as UTF-8.
    return out.getvalue().encode("utf-8-sig")


def as_xlsx(sheet: Sheet) -> bytes:
    book = Workbook()
    page = book.active
    page.title = str(sheet.title)[:31]
    page.append(sheet.marking())
    page.append([])
    for row in [sheet.header, *sheet.rows]:
        page.append([spreadsheet_safe(cell) for cell in row])
    book.properties.title = str(sheet.title)
    book.properties.keywords = classification()
    # The marking stands in the header of every printed page as well.
    page.oddHeader.center.text = classification().upper()
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


FORMATS = {
    "csv": (as_csv, "text/csv; charset=utf-8"),
    "xlsx": (as_xlsx, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
}
