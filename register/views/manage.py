"""The register manager's pages: accounts, roles, two-factor and organisations."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from register.access import role_required
from register.forms import UserForm
from register.models import Approval, Organisation, Role, User
from register.reauth import recent_login_required
from register.services import accounts, approvals
from register.services.audit import audit_record
from register.two_factor import confirmed_device, token_allowed
from register.ui import error_items

manager_only = role_required(Role.MANAGER)


@manager_only
def user_list(request):
    users = (User.objects.select_related("organisation").prefetch_related("role_grants")
             .order_by("organisation__name", "username"))
    organisation = request.GET.get("organisation", "")
    if organisation:
        users = users.filter(organisation__code=organisation)
    page = Paginator(users, 50).get_page(request.GET.get("page"))
    audit_record(actor=request.user, action="register.user.listed", object_type="register.user",
                 result_ids=[u.pk for u in page])
    return render(request, "register/manage/user_list.html", {
        "page": page, "organisations": Organisation.objects.all(),
        "organisation": organisation})


@manager_only
@recent_login_required
def user_create(request):
    form = UserForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        user = accounts.user_create(
            actor=request.user, username=data["username"], organisation=data["organisation"],
            roles=data["roles"], password=None, email=data["email"],
            first_name=data["first_name"], last_name=data["last_name"], phone=data["phone"])
        _send_welcome(request, user)
        messages.success(request, _("Account created; an e-mail to set a password was sent."))
        if approvals.approvals_pending().filter(subject=user).exists():
            messages.warning(request, _(
                "The register manager role is given only when a second register manager "
                "approves it; the change is waiting under “Changes to approve”."))
        return redirect("manage_user", user_id=user.pk)
    return render(request, "register/manage/user_form.html",
                  {"form": form, "error_items": error_items(form), "creating": True})


@manager_only
@recent_login_required
def user_edit(request, user_id: int):
    user = get_object_or_404(User.objects.select_related("organisation"), pk=user_id)
    form = UserForm(request.POST or None, instance=user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            asked = accounts.user_update(actor=request.user, user=user, roles=data["roles"],
                                         values={name: data[name]
                                                 for name in accounts.USER_FIELDS})
        except ValidationError as error:
            form.add_error("roles", error.messages)
        else:
            messages.success(request, _("The account was saved."))
            if asked:
                messages.warning(request, _(
                    "Your own roles, and the register manager role for anyone, change only "
                    "when a second register manager approves it; the change is waiting under "
                    "“Changes to approve”."))
            return redirect("manage_user", user_id=user.pk)
    if request.method == "GET":
        audit_record(actor=request.user, action="register.user.viewed", obj=user)
    return render(request, "register/manage/user_form.html", {
        "form": form, "error_items": error_items(form), "account": user,
        "has_device": confirmed_device(user) is not None,
        "tokens": user.api_tokens.filter(revoked_at__isnull=True).count(),
        "token_allowed": token_allowed(user)})


@manager_only
@recent_login_required
@require_POST
def user_action(request, user_id: int, action: str):
    user = get_object_or_404(User, pk=user_id)
    if action == "disable":
        accounts.user_set_active(actor=request.user, user=user, active=False)
        messages.success(request, _("The account is disabled; its sessions and tokens ended."))
    elif action == "enable":
        accounts.user_set_active(actor=request.user, user=user, active=True)
        messages.success(request, _("The account is enabled."))
    elif action == "reset-two-factor":
        accounts.two_factor_reset(actor=request.user, user=user)
        messages.success(request, _("The authenticator was reset."))
    elif action == "revoke-tokens":
        accounts.token_revoke_all(actor=request.user, user=user)
        messages.success(request, _("All API tokens of this account were revoked."))
    elif action in ("mark-system-account", "unmark-system-account"):
        try:
            accounts.user_set_system_account(actor=request.user, user=user,
                                             system=action == "mark-system-account")
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The account was saved."))
    elif action == "issue-token":
        try:
            key = accounts.token_issue(actor=request.user, user=user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("manage_user", user_id=user.pk)
        # Shown once, on this response only; it is never stored in clear.
        return render(request, "register/manage/token_issued.html", {"account": user, "key": key})
    else:
        return redirect("manage_user", user_id=user.pk)
    return redirect("manage_user", user_id=user.pk)


@manager_only
def organisation_list(request):
    # How many portfolio holders each organisation has (names are on the accounts list).
    holders = Count("users", distinct=True, filter=Q(
        users__is_active=True, users__role_grants__role=Role.PORTFOLIO_HOLDER))
    return render(request, "register/manage/organisation_list.html",
                  {"organisations": Organisation.objects.annotate(portfolio_holders=holders)})


@manager_only
@recent_login_required
@require_POST
def organisation_two_factor(request, code: str):
    organisation = get_object_or_404(Organisation, code=code)
    required = request.POST.get("required") == "on"
    accounts.organisation_require_two_factor(actor=request.user, organisation=organisation,
                                             required=required)
    messages.success(request, _("The setting was saved."))
    return redirect("manage_organisations")


def _send_welcome(request, user: User) -> None:
    # The configured address, not the request's Host header: a forged or internal host name
    # must not end up as the link a new colleague follows to set a password.
    link = settings.SITE_URL.rstrip("/") + reverse("password_set", kwargs={
        "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
        "token": default_token_generator.make_token(user)})
    body = render_to_string("register/manage/welcome_email.txt", {"user": user, "link": link})
    send_mail(_("Your account for the thematic register"), body, None, [user.email])


@manager_only
def approval_list(request):
    """Changes to a manager's own access, waiting for a second register manager."""
    pending = list(approvals.approvals_pending())

    def asked(approval: Approval) -> str:
        if approval.kind == Approval.Kind.ROLES:
            added = ", ".join(str(Role(code).label) for code in approval.roles_added)
            removed = ", ".join(str(Role(code).label) for code in approval.roles_removed)
            return " ".join(filter(None, [
                approval.subject.username + ":",
                _("add %(roles)s") % {"roles": added} if added else "",
                _("remove %(roles)s") % {"roles": removed} if removed else ""]))
        if approval.lift_restriction:
            return _("%(number)s: lift the restriction") % {"number": approval.dossier.number}
        return _("%(number)s: access for %(user)s") % {"number": approval.dossier.number,
                                                      "user": approval.subject.username}

    return render(request, "register/manage/approvals.html", {
        "pending": [(approval, asked(approval)) for approval in pending],
        "decided": Approval.objects.exclude(status=Approval.Status.PENDING)
        .select_related("requested_by", "subject", "decided_by", "dossier")[:20]})


@manager_only
@recent_login_required
@require_POST
def approval_decide(request, approval_id: int, decision: str):
    approval = get_object_or_404(Approval, pk=approval_id)
    if decision not in ("approve", "reject"):
        raise Http404
    try:
        approvals.approval_decide(actor=request.user, approval=approval,
                                  approve=decision == "approve")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The change was approved and made.") if decision == "approve"
                         else _("The change was rejected."))
    return redirect("manage_approvals")
