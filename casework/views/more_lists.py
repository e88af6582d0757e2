"""The follow-up list and the persons list: filtered, sorted, counted and paged like the inbox,
audited with what they showed, and exported after the password is given again."""

from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casework.exports import follow_up_sheet, person_sheet
from casework.more_worklists import (
    follow_up_worklist,
    person_worklist,
)
from casework.person_facts import attach_visible_facts
from casework.views.exports import export_list
from register.access import analyst_only
from register.reauth import recent_login_required
from register.services.audit import audit_filters, audit_record
from register.ui import kept, list_query, page_of, sort_headers

FOLLOW_UP_COLUMNS = (("dossier", _("Dossier")), ("action", _("Action")),
                     ("organisation", _("Responsible")), ("due", _("Due on")),
                     ("outcome", _("Outcome")), ("happened", _("Date it happened")))
PERSON_COLUMNS = (("number", _("Number")), (None, _("Name")), (None, _("Date of birth")),
                  (None, _("Nationality")), ("last_seen", _("Last named in a signal")))


def _list(request, template, worklist, columns, *, action, object_type, ids, extra=None):
    page = page_of(request, worklist.qs)
    if extra:
        extra(page)
    audit_record(actor=request.user, action=action, object_type=object_type,
                 result_ids=ids(page),
                 detail={"filters": audit_filters(request.GET, type(worklist).base_filters)})
    return render(request, template, {
        "page": page, "worklist": worklist, "columns": sort_headers(request, columns),
        "query": list_query(request), "keep": kept(request, "per_page", "ordering"),
        "today": timezone.localdate()})


@analyst_only
def follow_up_list(request):
    return _list(request, "casework/follow_ups.html", follow_up_worklist(request),
                 FOLLOW_UP_COLUMNS, action="register.follow_up.listed",
                 object_type="register.followupaction", ids=lambda page: [a.pk for a in page])


@analyst_only
def person_list(request):
    return _list(request, "casework/persons/list.html", person_worklist(request),
                 PERSON_COLUMNS, action="register.person.listed", object_type="register.person",
                 ids=lambda page: [p.pk for p in page],
                 extra=lambda page: attach_visible_facts(request.user, page.object_list))


@analyst_only
@recent_login_required
def follow_up_list_export(request, extension: str):
    return export_list(request, extension, follow_up_worklist(request),
                       action="register.follow_up.exported", sheet_of=follow_up_sheet,
                       name="follow-up")


@analyst_only
@recent_login_required
def person_list_export(request, extension: str):
    return export_list(request, extension, person_worklist(request),
                       action="register.person.exported", sheet_of=person_sheet,
                       name="persons",
                       prepare=lambda rows: attach_visible_facts(request.user, rows))
