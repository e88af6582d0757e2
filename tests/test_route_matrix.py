"""Every route, for anonymous, wrong role, wrong organisation and permitted users.

The routes come from the URL resolver, so a route added without a line here fails the suite.
Routes that show personal data must also write an audit event for the request that read it.
"""

import datetime
from dataclasses import dataclass, field
from urllib.parse import urlencode

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from casework.dossiers import dossier_assign, dossier_open, dossier_restrict, follow_up_add
from casework.models import PersonMerge, SavedSearch, SignalImport
from casework.persons import MentionFacts, person_create, person_merge
from controls.models import Control
from controls.services import control_plan, finding_add, report_upload
from register.models import (
    AuditEvent,
    Dossier,
    Organisation,
    ReadingAlert,
    RetentionReview,
    Role,
    ShareRequest,
    SubjectRequest,
)
from register.services.approvals import approval_ask_roles
from reporting.models import Report
from signals.models import SignalQuestion
from tests.personas import persona, verify_with_one_time_code
from tests.signals.builders import PDF_BYTES, file_signal
from tests.signals.builders import upload as make_upload
from tests.signals.scans import scan_pdf

INTAKE = frozenset({Role.REPORTER, Role.ANALYST})
EVERY_ROLE = frozenset(Role.values)
MANAGER = frozenset({Role.MANAGER})
ANALYST = frozenset({Role.ANALYST})
AUDITOR = frozenset({Role.AUDITOR})
HOLDER = frozenset({Role.PORTFOLIO_HOLDER})


@dataclass(frozen=True)
class Route:
    allowed: frozenset = frozenset()  # roles that may use it; empty = public
    api: bool = False
    on_signal: bool = False  # takes a signal reference: other organisations get 404
    org_scoped: bool = False  # about something of KMar's: another organisation gets 404
    task: bool = False  # a task asked of KPCN: OM's portfolio holder gets 404
    personal: bool = False  # shows personal data: must be audited
    method: str = "get"
    ok: tuple = (200,)
    kwargs: dict = field(default_factory=dict)
    query: dict = field(default_factory=dict)  # a query string, its values looked up as kwargs


ROUTES = {
    "home": Route(allowed=EVERY_ROLE),
    "healthz": Route(),
    "login": Route(),
    "logout": Route(method="post", ok=(302,)),
    "set_language": Route(method="post", ok=(302,)),
    "password_set": Route(kwargs={"uidb64": "MQ", "token": "expired-token"}),
    "two_factor_verify": Route(allowed=EVERY_ROLE, ok=(200, 302)),
    "two_factor_setup": Route(allowed=EVERY_ROLE, ok=(200, 302)),
    "reauthenticate": Route(allowed=EVERY_ROLE),
    "password_change": Route(allowed=EVERY_ROLE),
    "manage_users": Route(allowed=MANAGER, personal=True),
    "manage_user_new": Route(allowed=MANAGER),
    "manage_user": Route(allowed=MANAGER, personal=True, kwargs={"user_id": "reporter_szw"}),
    "manage_user_action": Route(allowed=MANAGER, method="post", ok=(302,),
                                kwargs={"user_id": "reporter_szw", "action": "enable"}),
    "manage_organisations": Route(allowed=MANAGER),
    "manage_organisation_two_factor": Route(allowed=MANAGER, method="post", ok=(302,),
                                            kwargs={"code": "szw"}),
    "manage_restrictions": Route(allowed=MANAGER),
    "manage_restriction_set": Route(allowed=MANAGER, method="post", ok=(200,)),
    "manage_approvals": Route(allowed=MANAGER),
    "manage_approval_decide": Route(allowed=MANAGER, method="post", ok=(302,),
                                    kwargs={"approval_id": "approval", "decision": "reject"}),
    "manage_requests": Route(allowed=MANAGER, personal=True),
    "manage_request_new": Route(allowed=MANAGER),
    "manage_request": Route(allowed=MANAGER, personal=True, kwargs={"request_id": "request"}),
    "manage_retention": Route(allowed=MANAGER),
    "manage_retention_review": Route(allowed=MANAGER, kwargs={"review_id": "review"}),
    "manage_retention_decide": Route(allowed=MANAGER, method="post", ok=(302,),
                                     kwargs={"review_id": "review"}),
    "audit_events": Route(allowed=AUDITOR, personal=True),
    "audit_export": Route(allowed=AUDITOR, personal=True),
    "api_audit_events": Route(allowed=AUDITOR, api=True, personal=True),
    # Each triage action has its own route; posted empty, a form action shows the page again
    # with its errors (200) or acts, the others act; both go back to the signal (302).
    **{f"signals:{name}": Route(allowed=ANALYST, on_signal=True, method="post", ok=(302,))
       for name in ("take_up", "take_in")},
    **{f"signals:{name}": Route(allowed=ANALYST, on_signal=True, method="post", ok=(200, 302),
                                personal=True)
       for name in ("assign", "grade", "coding", "ask", "decline", "open_dossier",
                    "add_to_dossier")},
    **{f"signals:mention_{decision}": Route(allowed=ANALYST, on_signal=True, method="post",
                                            ok=(302, 404), kwargs={"mention_id": "mention"})
       for decision in ("link", "reject")},
    "signals:answer_question": Route(allowed=INTAKE, on_signal=True, method="post", ok=(302,),
                                     kwargs={"question_id": "question"}),
    "casework:inbox": Route(allowed=ANALYST, personal=True),
    "casework:my_work": Route(allowed=ANALYST, personal=True),
    "casework:dossier_network": Route(allowed=ANALYST, personal=True,
                                      kwargs={"number": "dossier"}),
    "casework:person_network": Route(allowed=ANALYST, personal=True,
                                     kwargs={"person_id": "person"}),
    # A business, phone or vessel by the id of a row holding it, never by number or name.
    "casework:business_network": Route(allowed=ANALYST, personal=True,
                                       kwargs={"business_id": "business"}),
    "casework:phone_network": Route(allowed=ANALYST, personal=True,
                                    kwargs={"phone_id": "phone"}),
    "casework:vessel_network": Route(allowed=ANALYST, personal=True,
                                     kwargs={"vessel_id": "vessel"}),
    "casework:network_neighbours": Route(allowed=ANALYST, personal=True,
                                         query={"node": "person_node"}),
    "dossier-network": Route(allowed=ANALYST, api=True, personal=True,
                             kwargs={"number": "dossier"}),
    "person-network": Route(allowed=ANALYST, api=True, personal=True,
                            kwargs={"pk": "person"}),
    **{f"casework:{name}": Route(allowed=ANALYST, personal=True, kwargs={"extension": "xlsx"})
       for name in ("inbox_export", "dossiers_export", "follow_ups_export", "persons_export")},
    "casework:follow_ups": Route(allowed=ANALYST, personal=True),
    "casework:persons": Route(allowed=ANALYST, personal=True),
    # The bulk bars: posted empty, the list is shown again with the error at the bar; the
    # export of a selection without one kept in the session goes back to the list.
    **{f"casework:{name}": Route(allowed=ANALYST, method="post", ok=(200,), personal=True)
       for name in ("inbox_selection", "dossiers_selection")},
    **{f"casework:{name}": Route(allowed=ANALYST, ok=(302,), kwargs={"extension": "csv"})
       for name in ("inbox_selection_export", "dossiers_selection_export")},
    "casework:search": Route(allowed=ANALYST),
    "casework:saved_search_save": Route(allowed=ANALYST, method="post", ok=(200,)),
    "casework:saved_search_run": Route(allowed=ANALYST, method="post", personal=True,
                                       kwargs={"search_id": "saved_search"}),
    **{f"casework:{name}": Route(allowed=ANALYST, method="post", ok=(302,),
                                 kwargs={"search_id": "saved_search"})
       for name in ("saved_search_share", "saved_search_remove")},
    "casework:dossiers": Route(allowed=ANALYST, personal=True),
    "casework:dossier": Route(allowed=ANALYST, personal=True, kwargs={"number": "dossier"}),
    **{f"casework:{name}": Route(allowed=ANALYST, method="post", ok=(200, 302),
                                 kwargs={"number": "dossier"})
       for name in ("dossier_update", "dossier_assign", "dossier_restrict", "dossier_note",
                    "follow_up_add", "dossier_add_signal", "dossier_merge")},
    "casework:dossier_remove_signal": Route(allowed=ANALYST, method="post", ok=(302,),
                                            kwargs={"number": "dossier",
                                                    "reference": "dossier_signal"}),
    "casework:dossier_person": Route(allowed=ANALYST, method="post", ok=(200, 302),
                                     kwargs={"number": "dossier", "role_id": "role"}),
    "casework:follow_up_outcome": Route(allowed=ANALYST, method="post", ok=(200, 302),
                                        kwargs={"number": "dossier",
                                                "follow_up_id": "follow_up"}),
    "casework:person": Route(allowed=ANALYST, personal=True, kwargs={"person_id": "person"}),
    "casework:person_merge": Route(allowed=ANALYST, method="post", ok=(200,),
                                   kwargs={"person_id": "person"}),
    "casework:person_unmerge": Route(allowed=ANALYST, method="post", ok=(302,),
                                     kwargs={"person_id": "person", "merge_id": "merge"}),
    # Bulk import: an import is its uploader's (another analyst gets 404: test_import_pages).
    "casework:imports": Route(allowed=ANALYST),
    "casework:import": Route(allowed=ANALYST, kwargs={"import_id": "import"}),
    "casework:import_mapping": Route(allowed=ANALYST, kwargs={"import_id": "import"}),
    "casework:import_preview": Route(allowed=ANALYST, personal=True,
                                     kwargs={"import_id": "import"}),
    "casework:import_confirm": Route(allowed=ANALYST, method="post", ok=(302,),
                                     kwargs={"import_id": "import"}),
    "casework:import_report": Route(allowed=ANALYST, personal=True,
                                    kwargs={"import_id": "import"}),
    "notifications": Route(allowed=EVERY_ROLE),
    "notification_settings": Route(allowed=EVERY_ROLE),
    "disclosures": Route(allowed=AUDITOR, personal=True),
    "disclosures_export": Route(allowed=AUDITOR, personal=True),
    "reading_alerts": Route(allowed=AUDITOR, personal=True),
    "reading_alert_review": Route(allowed=AUDITOR, personal=True,
                                  kwargs={"alert_id": "reading_alert"}),
    "casework:share_new": Route(allowed=ANALYST, kwargs={"number": "dossier"}),
    # Deciding on one's own request is refused with a message on the dossier page.
    "casework:share_decide": Route(allowed=ANALYST, method="post", ok=(302,),
                                   kwargs={"number": "dossier", "share_id": "share",
                                           "decision": "approve"}),
    # Before a second analyst approved, the summary to send does not exist for anyone.
    "reporting:share_summary": Route(allowed=ANALYST, ok=(403,),
                                     kwargs={"number": "dossier", "share_id": "share"}),
    "controls:overview": Route(allowed=INTAKE | {Role.COORDINATOR}),
    "controls:new": Route(allowed=INTAKE),
    "controls:targets": Route(allowed=frozenset({Role.COORDINATOR, Role.MANAGER})),
    "controls:detail": Route(allowed=INTAKE, org_scoped=True, personal=True,
                             kwargs={"control_id": "control"}),
    "controls:raise_signal": Route(allowed=INTAKE, org_scoped=True,
                                   kwargs={"control_id": "control"}),
    "controls:report": Route(allowed=INTAKE, org_scoped=True, personal=True,
                             kwargs={"control_id": "control", "report_id": "report"}),
    "controls:action": Route(allowed=INTAKE, org_scoped=True, method="post", ok=(200,),
                             personal=True,
                             kwargs={"control_id": "control", "action": "finding"}),
    "control-list": Route(allowed=INTAKE, api=True, personal=True),
    "control-detail": Route(allowed=INTAKE, api=True, org_scoped=True, personal=True,
                            kwargs={"pk": "control"}),
    "control-results": Route(allowed=INTAKE, api=True, org_scoped=True, method="post",
                             ok=(400,), kwargs={"pk": "control"}),
    "reporting:archive": Route(allowed=frozenset({Role.COORDINATOR, Role.MANAGER,
                                                  Role.ANALYST})),
    "reporting:dashboard": Route(allowed=frozenset({Role.COORDINATOR, Role.MANAGER,
                                                    Role.ANALYST})),
    "reporting:trends": Route(allowed=frozenset({Role.COORDINATOR, Role.MANAGER,
                                                 Role.ANALYST})),
    "reporting:drill": Route(allowed=ANALYST, personal=True, kwargs={"figure": "island"},
                             query={"value": "bonaire"}),
    "reporting:crime_picture": Route(allowed=ANALYST),
    "reporting:kingdom": Route(allowed=frozenset({Role.COORDINATOR, Role.MANAGER})),
    "reporting:disclosures": Route(allowed=frozenset({Role.COORDINATOR})),
    "reporting:schedules": Route(allowed=frozenset({Role.COORDINATOR, Role.MANAGER})),
    "reporting:estimate_lists": Route(allowed=frozenset({Role.COORDINATOR})),
    "reporting:download": Route(allowed=frozenset({Role.COORDINATOR, Role.MANAGER,
                                                   Role.ANALYST}),
                                kwargs={"report_id": "report_pdf"}),
    # Asks to whom, on what ground and until when first (a form); the PDF comes on posting it.
    "reporting:dossier_summary": Route(allowed=ANALYST, kwargs={"number": "dossier"}),
    "reporting:archive_rows": Route(allowed=frozenset({Role.COORDINATOR, Role.MANAGER,
                                                       Role.ANALYST})),
    "reporting:review": Route(allowed=frozenset({Role.COORDINATOR}),
                              kwargs={"report_id": "report_pdf"}),
    "reporting:report_action": Route(allowed=frozenset({Role.COORDINATOR}), method="post",
                                     ok=(302,), kwargs={"report_id": "report_pdf",
                                                        "action": "finalise"}),
    "reporting:exchange": Route(allowed=frozenset({Role.COORDINATOR, Role.MANAGER}),
                                kwargs={"year": 2026, "extension": "json"}),
    "signals:new": Route(allowed=INTAKE),
    "signals:new_paper": Route(allowed=frozenset({Role.ANALYST})),
    "signals:mine": Route(allowed=INTAKE, personal=True),
    "signals:detail": Route(allowed=INTAKE, on_signal=True, personal=True),
    "signals:receipt": Route(allowed=INTAKE, on_signal=True),
    "signals:attachment": Route(allowed=ANALYST, on_signal=True, personal=True),
    "signals:attachment_preview": Route(allowed=ANALYST, on_signal=True, personal=True),
    "signals:attachment_preview_page": Route(allowed=ANALYST, on_signal=True, personal=True,
                                             kwargs={"page": 1}),
    # Posted for a file that was read: refused with a message on the signal page.
    "signals:attachment_read_again": Route(allowed=ANALYST, on_signal=True, method="post",
                                           ok=(302,)),
    "signal-list": Route(allowed=INTAKE, api=True, personal=True),
    "signal-detail": Route(allowed=INTAKE, api=True, on_signal=True, personal=True),
    "signal-take-in": Route(allowed=ANALYST, api=True, on_signal=True, method="post"),
    "signal-take-up": Route(allowed=ANALYST, api=True, on_signal=True, method="post"),
    "signal-assign": Route(allowed=ANALYST, api=True, on_signal=True, method="post", ok=(400,)),
    "signal-decline": Route(allowed=ANALYST, api=True, on_signal=True, method="post",
                            ok=(400,)),
    "signal-ask": Route(allowed=ANALYST, api=True, on_signal=True, method="post", ok=(400,)),
    "signal-grade": Route(allowed=ANALYST, api=True, on_signal=True, method="post", ok=(400,)),
    "signal-coding": Route(allowed=ANALYST, api=True, on_signal=True, method="post",
                           ok=(400,)),
    "signal-link-person": Route(allowed=ANALYST, api=True, on_signal=True, method="post",
                                ok=(400,)),
    "dossier-list": Route(allowed=ANALYST, api=True, personal=True),
    "dossier-detail": Route(allowed=ANALYST, api=True, personal=True,
                            kwargs={"number": "dossier"}),
    "dossier-add-signals": Route(allowed=ANALYST, api=True, method="post", ok=(400,),
                                 kwargs={"number": "dossier"}),
    "dossier-remove-signals": Route(allowed=ANALYST, api=True, method="post", ok=(400,),
                                    kwargs={"number": "dossier"}),
    "dossier-merge": Route(allowed=ANALYST, api=True, method="post", ok=(400,),
                           kwargs={"number": "dossier"}),
    "person-list": Route(allowed=ANALYST, api=True, personal=True),
    "person-detail": Route(allowed=ANALYST, api=True, personal=True,
                           kwargs={"pk": "person"}),
    "person-suggestions": Route(allowed=ANALYST, api=True, method="post", ok=(400,)),
    # The portfolio holders' pages: a task of another organisation is a 404 (holder_om).
    "tasks:list": Route(allowed=HOLDER, personal=True),
    "tasks:feedback": Route(allowed=HOLDER, personal=True),
    "tasks:detail": Route(allowed=HOLDER, task=True, personal=True,
                          kwargs={"task_id": "task"}),
    "tasks:attachment": Route(allowed=HOLDER, task=True, personal=True,
                              kwargs={"task_id": "task", "attachment_id": "task_attachment"}),
    # Posted empty: the page again with the reason missing at its field.
    "tasks:action": Route(allowed=HOLDER, task=True, method="post", ok=(200,), personal=True,
                          kwargs={"task_id": "task", "action": "decline"}),
    "tasks:decision": Route(allowed=HOLDER | ANALYST, task=True, personal=True,
                            kwargs={"task_id": "task"}),
    "schema": Route(allowed=EVERY_ROLE, api=True),
    "api-docs": Route(allowed=EVERY_ROLE, api=True),
}
# Django's admin has its own login and staff check (and the two-factor middleware covers it).
EXEMPT_NAMESPACES = {"admin"}
CANARY = "Kanariewitz"  # a name that only exists in personal data planted for these tests
PERMITTED_PERSONA = {Role.REPORTER: "reporter_kmar", Role.ANALYST: "analyst_kpcn",
                     Role.MANAGER: "manager", Role.AUDITOR: "auditor",
                     Role.COORDINATOR: "coordinator", Role.PORTFOLIO_HOLDER: "holder_kpcn"}


def named_routes(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace in EXEMPT_NAMESPACES:
                continue
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from named_routes(entry, inner)
        elif isinstance(entry, URLPattern):
            assert entry.name, f"unnamed route {entry.pattern}: name it and add it to ROUTES"
            yield f"{namespace}{entry.name}"


def test_every_route_is_in_the_matrix():
    assert set(named_routes()) == set(ROUTES)


@pytest.fixture
def kmar_signal(db):
    """A signal of reporter.kmar, and one of everything a route can be about."""
    # A real PDF (a scan), so that its preview can be drawn.
    signal = file_signal(persona("reporter_kmar"), files=[
        ("statement.pdf", "application/pdf", scan_pdf())], persons=[
        {"role": "victim", "family_name": CANARY, "given_names": "Ana"}],
        description=f"Seen with {CANARY}", reporter_name=f"Rita {CANARY}",
        businesses=[{"name": f"{CANARY} Bar"}])
    SubjectRequest.objects.create(received_on=datetime.date(2026, 1, 5), requester_name="R",
                                  subject_family_name="Doe", created_by=persona("manager"))
    RetentionReview.objects.create(cutoff=timezone.now())
    analyst = persona("analyst_kpcn")
    SignalQuestion.objects.create(signal=signal, asked_by=analyst, question="Where?",
                                  asked_at=timezone.now())
    other = file_signal(persona("reporter_szw"), files=[
        ("boat.pdf", "application/pdf", PDF_BYTES)], persons=[
        {"role": "suspect", "family_name": "Other", "given_names": "Bob",
         "phone": "+599 717 1234"}], vehicles=[{"kind": "vessel", "name": "Matrix Boat"}])
    dossier = dossier_open(actor=analyst, signals=[other], title="Matrix case")
    follow_up_add(actor=analyst, dossier=dossier, kind="victim_care",
                  organisation=analyst.organisation)
    # A criminal investigation asked of KPCN by an OM analyst, sharing the signal's file and
    # with a decision document recorded: a task for KPCN's portfolio holders.
    asked = follow_up_add(actor=persona("analyst_om"), dossier=dossier,
                          kind="criminal_investigation", organisation=analyst.organisation,
                          brief=f"Check the boat of {CANARY}",
                          attachments=[other.attachments.get()])
    asked.task.decision_document.save("decision", ContentFile(PDF_BYTES), save=False)
    asked.task.decision_document_type = "application/pdf"
    asked.task.save()
    source = person_create(actor=analyst, facts=MentionFacts(family_name="Dup"))
    person_merge(actor=analyst, source=source, target=other.persons.get().person)
    kmar = persona("reporter_kmar")
    control = control_plan(actor=kmar, participants=[], businesses=[], values={
        "island": "bonaire", "place": "Rincon", "sector": "construction",
        "planned_on": datetime.date(2026, 5, 1), "initiating_organisation": kmar.organisation,
        "directing_organisation": analyst.organisation, "goal": "Matrix", "team": "",
        "briefing": ""})
    report_upload(actor=kmar, control=control, upload=make_upload("r.pdf", PDF_BYTES))
    finding_add(actor=kmar, control=control, category="labour", count=1,
                description=f"Worker {CANARY} had no contract")
    Report.objects.create(kind="annual", period_start=datetime.date(2026, 1, 1),
                          period_end=datetime.date(2026, 12, 31), status="done",
                          file=ContentFile(b"%PDF-1.7 matrix", name="matrix.pdf"))
    return signal


def matrix_import():
    """The permitted analyst's import of a file naming the canary, checked, with a report."""
    from casework.imports.service import import_preview, import_set_mapping, import_upload

    found = SignalImport.objects.filter(uploaded_by=persona("analyst_kpcn")).first()
    if found:
        return found
    analyst = persona("analyst_kpcn")
    content = ("observed_on,island,forms,description,person1_role,person1_family_name\n"
               f"2018-01-02,bonaire,other,Seen,victim,{CANARY}\n").encode()
    batch = import_upload(actor=analyst, organisation=Organisation.objects.get(code="kmar"),
                          upload=ContentFile(content, name="matrix.csv"))
    import_set_mapping(actor=analyst, batch=batch, mapping={c: c for c in batch.columns})
    import_preview(actor=analyst, batch=batch)
    batch.report.save("report", ContentFile(content), save=True)
    return batch


def objects_for(kwargs: dict, signal) -> dict:
    dossier = Dossier.objects.get(title="Matrix case")
    other = dossier.signals.get()
    lookups = {
        "mention": lambda: signal.persons.get().pk,
        "question": lambda: signal.questions.get().pk,
        "dossier": lambda: dossier.number,
        "dossier_signal": lambda: other.reference,
        "role": lambda: dossier.persons.first().pk,
        "follow_up": lambda: dossier.follow_ups.get(kind="victim_care").pk,
        "task": lambda: dossier.follow_ups.get(kind="criminal_investigation").task.pk,
        "task_attachment": lambda: other.attachments.get().pk,
        "person": lambda: other.persons.get().person_id,
        "person_node": lambda: f"person:{other.persons.get().person_id}",
        "business": lambda: signal.businesses.get().pk,
        "phone": lambda: other.persons.get().pk,
        "vessel": lambda: other.vehicles.get().pk,
        "merge": lambda: PersonMerge.objects.get().pk,
        # The permitted analyst's own saved search of the canary's name.
        "saved_search": lambda: SavedSearch.objects.get_or_create(
            owner=persona("analyst_kpcn"), name="Matrix", query=CANARY)[0].pk,
        "control": lambda: Control.objects.get(goal="Matrix").pk,
        "report": lambda: Control.objects.get(goal="Matrix").reports.get().pk,
        "report_pdf": lambda: Report.objects.get().pk,
        "import": lambda: matrix_import().pk,
        "reading_alert": lambda: ReadingAlert.objects.get_or_create(
            user=persona("analyst_kpcn"), day=datetime.date(2026, 1, 5), kind="night",
            defaults={"count": 3, "threshold": 1})[0].pk,
        "share": lambda: ShareRequest.objects.get_or_create(
            dossier=dossier, country="aruba", recipient_organisation="KPA",
            legal_ground="police_task", purpose="Matrix", kept_until=datetime.date(2099, 1, 1),
            requested_by=persona("analyst_kpcn"), requested_at=timezone.now())[0].pk,
        "approval": lambda: approval_ask_roles(actor=persona("manager"),
                                               user=persona("manager"),
                                               roles=[Role.MANAGER, Role.AUDITOR]).pk,
    }
    return {name: lookups[value]() if value in lookups else value
            for name, value in kwargs.items()}


def test_the_dossier_routes_point_at_a_real_dossier(kmar_signal, as_user):
    client = as_user("analyst_kpcn")
    assert call(client, "dossier-detail", kmar_signal).json()["title"] == "Matrix case"


def url_for(name, signal):
    route = ROUTES[name]
    kwargs = objects_for(dict(route.kwargs), signal)
    if "user_id" in kwargs:
        kwargs["user_id"] = persona(kwargs["user_id"]).pk
    if "request_id" in kwargs:
        kwargs["request_id"] = SubjectRequest.objects.latest("pk").pk
    if "review_id" in kwargs:
        kwargs["review_id"] = RetentionReview.objects.latest("pk").pk
    if route.on_signal:
        kwargs["reference"] = signal.reference
    if name in ("signals:attachment", "signals:attachment_preview",
                "signals:attachment_preview_page", "signals:attachment_read_again"):
        kwargs["attachment_id"] = signal.attachments.get().pk
    query = objects_for(dict(route.query), signal)
    return reverse(name, kwargs=kwargs) + (f"?{urlencode(query)}" if query else "")


def call(client, name, signal):
    route = ROUTES[name]
    return getattr(client, route.method)(url_for(name, signal))


PROTECTED = sorted(name for name, route in ROUTES.items() if route.allowed)


def permitted(name) -> str:
    allowed = ROUTES[name].allowed
    return next(PERMITTED_PERSONA[role] for role in PERMITTED_PERSONA if role in allowed)


@pytest.mark.parametrize("name", PROTECTED)
def test_anonymous_visitors_are_sent_to_login_or_refused(kmar_signal, name):
    response = call(Client(), name, kmar_signal)
    # The schema and its docs are read by people in a browser: they go to the login page.
    if ROUTES[name].api and name not in ("schema", "api-docs"):
        assert response.status_code in (401, 403)
    else:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("name", [n for n in PROTECTED if ROUTES[n].allowed != EVERY_ROLE])
def test_a_user_without_the_role_is_refused(kmar_signal, as_user, name):
    for role, username in PERMITTED_PERSONA.items():
        if role not in ROUTES[name].allowed:
            response = call(as_user(username), name, kmar_signal)
            assert response.status_code == 403, f"{username} reached {name}"


@pytest.mark.parametrize("name", [n for n in PROTECTED
                                  if (ROUTES[n].on_signal or ROUTES[n].org_scoped)
                                  and Role.REPORTER in ROUTES[n].allowed])
def test_another_organisation_does_not_learn_the_signal_exists(kmar_signal, as_user, name):
    assert call(as_user("reporter_szw"), name, kmar_signal).status_code == 404


@pytest.mark.parametrize("name", [n for n in PROTECTED if ROUTES[n].task])
def test_a_portfolio_holder_of_another_organisation_does_not_learn_the_task_exists(
        kmar_signal, as_user, name):
    assert call(as_user("holder_om"), name, kmar_signal).status_code == 404


@pytest.mark.parametrize("name", PROTECTED)
def test_a_permitted_user_gets_the_page(kmar_signal, as_user, name):
    response = call(as_user(permitted(name)), name, kmar_signal)
    assert response.status_code in ROUTES[name].ok


# Routes about the matrix dossier or what is known only from it: with the dossier restricted
# to a colleague, they must not exist for the permitted analyst, whatever the method.
ABOUT_THE_DOSSIER = ("dossier", "dossier_signal", "role", "follow_up", "person", "merge",
                     "share")
DOSSIER_ROUTES = sorted(n for n, r in ROUTES.items()
                        if set(r.kwargs.values()) & set(ABOUT_THE_DOSSIER))
# The dossier page's edit forms open on their own page (GET) as well as being posted.
DOSSIER_EDITS = ("dossier_update", "dossier_assign", "dossier_restrict", "dossier_note",
                 "follow_up_add", "dossier_add_signal", "dossier_merge", "dossier_person",
                 "follow_up_outcome")


@pytest.mark.parametrize("name", DOSSIER_ROUTES)
def test_a_dossier_restricted_to_a_colleague_does_not_exist_on_any_route(kmar_signal, as_user,
                                                                         name):
    dossier = Dossier.objects.get(title="Matrix case")
    colleague = persona("analyst_om")
    dossier_assign(actor=persona("analyst_kpcn"), dossier=dossier, analysts=[colleague])
    dossier_restrict(actor=colleague, dossier=dossier, analysts=[colleague])
    client = as_user("analyst_kpcn")
    url = url_for(name, kmar_signal)
    methods = {ROUTES[name].method} | ({"get"} if name.split(":")[-1] in DOSSIER_EDITS else set())
    for method in methods:
        assert getattr(client, method)(url).status_code == 404, f"{method} {name}"
    # ... and the analyst it is restricted to still reaches it.
    granted = as_user("analyst_om")
    assert call(granted, name, kmar_signal).status_code in ROUTES[name].ok


@pytest.mark.parametrize("name", DOSSIER_EDITS)
def test_every_edit_of_the_dossier_page_opens_as_a_page_of_its_own(kmar_signal, as_user, name):
    client = as_user("analyst_kpcn")
    response = client.get(url_for(f"casework:{name}", kmar_signal))
    assert response.status_code == 200
    assert b'<form method="post"' in response.content
    assert b"<html" in response.content
    fragment = client.get(url_for(f"casework:{name}", kmar_signal), HTTP_HX_REQUEST="true")
    assert b"<html" not in fragment.content and b'<form method="post"' in fragment.content


@pytest.mark.parametrize("name", sorted(n for n, r in ROUTES.items() if r.personal))
def test_every_read_of_personal_data_is_audited_with_its_request_id(kmar_signal, as_user, name):
    response = call(as_user(permitted(name)), name, kmar_signal)
    assert response.status_code in ROUTES[name].ok
    assert AuditEvent.objects.filter(request_id=response["X-Request-ID"]).exclude(
        action__startswith="register.session.").exists()


TWO_FACTOR_ROLES = (Role.ANALYST, Role.MANAGER, Role.AUDITOR, Role.PORTFOLIO_HOLDER)


@pytest.mark.parametrize("name", sorted(n for n in PROTECTED
                                        if set(TWO_FACTOR_ROLES) & ROUTES[n].allowed
                                        and n not in ("two_factor_verify", "two_factor_setup")))
def test_a_password_only_session_reaches_nothing_until_the_one_time_code(kmar_signal, as_user,
                                                                         name):
    for role in TWO_FACTOR_ROLES:
        if role not in ROUTES[name].allowed:
            continue
        response = call(as_user(PERMITTED_PERSONA[role], verified=False), name, kmar_signal)
        if ROUTES[name].api:
            assert response.status_code == 403
        else:
            assert response.status_code == 302
            assert response["Location"].startswith(reverse("two_factor_setup"))


@pytest.mark.parametrize("name", sorted(n for n, r in ROUTES.items() if r.method == "post"))
def test_every_form_refuses_a_request_without_its_csrf_token(kmar_signal, name):
    client = Client(enforce_csrf_checks=True)
    if ROUTES[name].allowed:
        role = next(iter(sorted(ROUTES[name].allowed)))
        user = persona(PERMITTED_PERSONA[role])
        client.force_login(user)
        verify_with_one_time_code(client, user)
    assert call(client, name, kmar_signal).status_code == 403


@pytest.mark.parametrize("name", PROTECTED)
def test_any_route_that_shows_personal_data_audits_it(kmar_signal, as_user, name):
    """Not hand-picked: whatever route shows planted personal data, to whichever role may use
    it, must have written an event for that request."""
    SubjectRequest.objects.update(subject_family_name=CANARY)
    for role in sorted(ROUTES[name].allowed):
        response = call(as_user(PERMITTED_PERSONA[role]), name, kmar_signal)
        body = (b"".join(response.streaming_content) if response.streaming
                else response.content).decode(errors="ignore")
        if CANARY in body:
            assert ROUTES[name].personal, f"{name} shows personal data, not marked personal"
            assert AuditEvent.objects.filter(request_id=response["X-Request-ID"]).exclude(
                action__startswith="register.session.").exists()


@pytest.mark.parametrize("name", sorted(n for n, r in ROUTES.items() if not r.allowed))
def test_public_routes_answer_without_login(kmar_signal, name):
    assert call(Client(), name, kmar_signal).status_code in (200, 302)


@pytest.mark.parametrize("name", PROTECTED)
def test_authenticated_responses_are_never_cached(kmar_signal, as_user, name):
    response = call(as_user(permitted(name)), name, kmar_signal)
    assert "no-store" in response["Cache-Control"]


def test_the_organisation_route_takes_a_real_code(db):
    assert Organisation.objects.filter(code=ROUTES["manage_organisation_two_factor"]
                                       .kwargs["code"]).exists()


@pytest.mark.parametrize("name", ["signals:detail", "signal-detail", "manage_request"])
def test_the_planted_name_is_seen_where_personal_data_is_shown(kmar_signal, as_user, name):
    """Guards the test above against passing because the name never shows anywhere."""
    SubjectRequest.objects.update(subject_family_name=CANARY)
    reader = "manager" if name == "manage_request" else "analyst_kpcn"
    assert CANARY in call(as_user(reader), name, kmar_signal).content.decode()
