"""Nobody gives themselves a role or access to a restricted dossier: a second register manager
approves such a change first, and both steps are in the audit trail."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from casework.dossiers import dossier_assign, dossier_create, dossier_restrict
from casework.need_to_know import dossiers_visible_to, restricted_to
from register.models import Approval, AuditEvent, Organisation, Role, User
from register.services.accounts import user_create, user_update
from tests.personas import persona, verify_with_one_time_code


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    verify_with_one_time_code(client, user)
    client.cookies["django_language"] = "en"
    return client


@pytest.fixture
def second_manager(db):
    return user_create(actor=None, username="manager.om", roles=[Role.MANAGER],
                       organisation=Organisation.objects.get(code="om"), password=None,
                       email="manager.om@example.invalid")


@pytest.fixture
def manager_analyst(db):
    """A register manager of KPCN who is also an analyst, and so could read dossiers."""
    manager = persona("manager")
    user_update(actor=None, user=manager, values={}, roles=[Role.MANAGER, Role.ANALYST])
    return persona("manager")


@pytest.fixture
def secret(db):
    kpcn = persona("analyst_kpcn")
    dossier = dossier_create(actor=kpcn, title="Secret")
    dossier_assign(actor=kpcn, dossier=dossier, analysts=[kpcn])
    dossier_restrict(actor=kpcn, dossier=dossier, analysts=[kpcn])
    return dossier


def own_roles_form(user: User, roles: list[str]) -> dict:
    return {"first_name": user.first_name or "M", "last_name": user.last_name or "M",
            "email": user.email, "phone": user.phone, "organisation": user.organisation.pk,
            "roles": roles}


def test_a_manager_cannot_give_themselves_the_analyst_role(db):
    manager = persona("manager")
    client = logged_in(manager)
    response = client.post(reverse("manage_user", args=[manager.pk]),
                           own_roles_form(manager, [Role.MANAGER, Role.ANALYST]), follow=True)
    assert not persona("manager").has_role(Role.ANALYST)
    assert "second register manager approves" in response.content.decode()
    approval = Approval.objects.get(status="pending")
    assert approval.kind == "roles" and approval.roles_added == [Role.ANALYST]
    assert AuditEvent.objects.filter(action="register.approval.requested",
                                     object_id=approval.pk).exists()


def test_a_manager_cannot_approve_their_own_request(db):
    manager = persona("manager")
    client = logged_in(manager)
    client.post(reverse("manage_user", args=[manager.pk]),
                own_roles_form(manager, [Role.MANAGER, Role.ANALYST]))
    approval = Approval.objects.get()
    response = client.post(reverse("manage_approval_decide", args=[approval.pk, "approve"]),
                           follow=True)
    assert "needs another register manager" in response.content.decode()
    assert Approval.objects.get().status == "pending"
    assert not persona("manager").has_role(Role.ANALYST)


def test_a_second_manager_approves_a_role_change_and_both_steps_are_audited(second_manager):
    manager = persona("manager")
    logged_in(manager).post(reverse("manage_user", args=[manager.pk]),
                            own_roles_form(manager, [Role.MANAGER, Role.ANALYST]))
    approval = Approval.objects.get()
    page = logged_in(second_manager).get(reverse("manage_approvals")).content.decode()
    assert "Analyst" in page and manager.username in page
    logged_in(second_manager).post(reverse("manage_approval_decide",
                                           args=[approval.pk, "approve"]))
    assert persona("manager").has_role(Role.ANALYST)
    approval.refresh_from_db()
    assert approval.status == "approved" and approval.decided_by == second_manager
    decided = AuditEvent.objects.get(action="register.approval.approved")
    assert decided.actor == second_manager
    changed = AuditEvent.objects.filter(action="register.user.changed",
                                        object_id=manager.pk).latest("id")
    assert changed.actor == second_manager and changed.detail["approval_id"] == approval.pk
    assert changed.detail["roles_added"] == [Role.ANALYST]


def test_a_rejected_role_change_is_never_made(second_manager):
    manager = persona("manager")
    logged_in(manager).post(reverse("manage_user", args=[manager.pk]),
                            own_roles_form(manager, [Role.MANAGER, Role.AUDITOR]))
    approval = Approval.objects.get()
    logged_in(second_manager).post(reverse("manage_approval_decide",
                                           args=[approval.pk, "reject"]))
    assert not persona("manager").has_role(Role.AUDITOR)
    assert Approval.objects.get().status == "rejected"
    assert AuditEvent.objects.filter(action="register.approval.rejected").exists()
    again = logged_in(second_manager).post(
        reverse("manage_approval_decide", args=[approval.pk, "approve"]), follow=True)
    assert "already decided" in again.content.decode()
    assert not persona("manager").has_role(Role.AUDITOR)


def test_a_manager_still_changes_other_accounts_roles_at_once(db):
    user = persona("reporter_szw")
    logged_in(persona("manager")).post(reverse("manage_user", args=[user.pk]),
                                       own_roles_form(user, [Role.REPORTER, Role.COORDINATOR]))
    assert persona("reporter_szw").has_role(Role.COORDINATOR)
    assert not Approval.objects.exists()


def test_a_manager_cannot_grant_themselves_a_restricted_dossier(manager_analyst, secret):
    client = logged_in(manager_analyst)
    response = client.post(reverse("manage_restriction_set"), {
        "number": secret.number,
        "analysts": [persona("analyst_kpcn").pk, manager_analyst.pk]}, follow=True)
    assert "waits for a second register manager" in response.content.decode()
    assert manager_analyst not in restricted_to(secret)
    assert not dossiers_visible_to(manager_analyst).filter(pk=secret.pk).exists()
    assert Approval.objects.get().kind == "own_dossier_access"
    assert persona("analyst_kpcn") in restricted_to(secret)
    assert not AuditEvent.objects.filter(action="register.dossier.restricted",
                                         actor=manager_analyst).exists()


def test_a_second_manager_approves_access_to_a_restricted_dossier(manager_analyst, secret,
                                                                   second_manager):
    logged_in(manager_analyst).post(reverse("manage_restriction_set"), {
        "number": secret.number,
        "analysts": [persona("analyst_kpcn").pk, manager_analyst.pk]})
    approval = Approval.objects.get()
    logged_in(second_manager).post(reverse("manage_approval_decide",
                                           args=[approval.pk, "approve"]))
    assert dossiers_visible_to(manager_analyst).filter(pk=secret.pk).exists()
    event = AuditEvent.objects.filter(action="register.dossier.restricted").latest("id")
    assert event.actor == second_manager and event.detail["approval_id"] == approval.pk


def test_the_service_itself_refuses_a_self_grant_whatever_the_door(manager_analyst, secret):
    asked = dossier_restrict(actor=manager_analyst, dossier=secret,
                             analysts=[persona("analyst_kpcn"), manager_analyst])
    assert isinstance(asked, Approval)
    assert manager_analyst not in restricted_to(secret)


def test_a_manager_still_grants_access_to_a_colleague_at_once(manager_analyst, secret):
    om = persona("analyst_om")
    dossier_restrict(actor=manager_analyst, dossier=secret,
                     analysts=[persona("analyst_kpcn"), om])
    assert om in restricted_to(secret)
    assert not Approval.objects.exists()


def test_lifting_a_restriction_that_would_open_it_to_oneself_waits_too(manager_analyst, secret,
                                                                        second_manager):
    logged_in(manager_analyst).post(reverse("manage_restriction_set"), {
        "number": secret.number, "analysts": []})
    secret.refresh_from_db()
    assert secret.restricted
    assert not dossiers_visible_to(manager_analyst).filter(pk=secret.pk).exists()
    approval = Approval.objects.get()
    assert approval.lift_restriction
    logged_in(second_manager).post(reverse("manage_approval_decide",
                                           args=[approval.pk, "approve"]))
    secret.refresh_from_db()
    assert not secret.restricted


def test_lifting_and_restricting_again_does_not_smuggle_oneself_in(manager_analyst, secret):
    dossier_restrict(actor=manager_analyst, dossier=secret, analysts=[])
    dossier_restrict(actor=manager_analyst, dossier=secret,
                     analysts=[persona("analyst_kpcn"), manager_analyst])
    assert not dossiers_visible_to(manager_analyst).filter(pk=secret.pk).exists()


def test_a_manager_cannot_make_a_second_manager_to_approve_their_own_requests(db):
    manager = persona("manager")
    client = logged_in(manager)
    client.post(reverse("manage_user_new"), {
        "username": "sock.puppet", "first_name": "S", "last_name": "P",
        "email": "sp@example.invalid", "organisation": manager.organisation.pk,
        "roles": [Role.MANAGER]})
    puppet = User.objects.get(username="sock.puppet")
    assert not puppet.has_role(Role.MANAGER)
    assert Approval.objects.get(subject=puppet).roles_added == [Role.MANAGER]
    other = persona("reporter_szw")
    client.post(reverse("manage_user", args=[other.pk]),
                own_roles_form(other, [Role.REPORTER, Role.MANAGER]))
    assert not persona("reporter_szw").has_role(Role.MANAGER)


def test_an_approval_applies_only_what_was_asked_on_the_state_of_now(second_manager, db):
    """A role taken away after the request stays taken away when the request is approved."""
    third = user_create(actor=None, username="manager.kmar", roles=[Role.MANAGER],
                        organisation=Organisation.objects.get(code="kmar"), password=None)
    manager = persona("manager")
    logged_in(manager).post(reverse("manage_user", args=[manager.pk]),
                            own_roles_form(manager, [Role.MANAGER, Role.AUDITOR]))
    approval = Approval.objects.get()
    user_update(actor=second_manager, user=persona("manager"), values={},
                roles=[Role.AUDITOR, Role.COORDINATOR])  # demoted meanwhile
    assert Approval.objects.get(pk=approval.pk).status == "pending"
    logged_in(third).post(reverse("manage_approval_decide", args=[approval.pk, "approve"]))
    assert persona("manager").role_codes == {Role.AUDITOR, Role.COORDINATOR}


def test_asking_for_ones_own_roles_and_saving_details_is_all_or_nothing(db):
    manager = persona("manager")
    with pytest.raises(ValidationError):
        user_update(actor=manager, user=manager, roles=[Role.MANAGER, Role.AUDITOR],
                    values={"email": "not an e-mail"})
    assert not Approval.objects.exists()
