"""The register manager's view of need to know: which restricted dossier is open to whom,
by number only, and setting that list (a manager's own access waits for a second manager)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from casework.dossier_forms import RestrictionForm
from casework.dossiers import dossier_restrict
from casework.need_to_know import restricted_to
from register.access import role_required
from register.models import Dossier, Role
from register.reauth import recent_login_required
from register.ui import error_items

manager_only = role_required(Role.MANAGER)


@manager_only
def restriction_list(request):
    """Restricted dossiers by number and who may see them; the manager sees no contents."""
    dossiers = list(Dossier.objects.filter(restricted=True, merged_into__isnull=True)
                    .order_by("number"))
    rows = [(dossier, list(restricted_to(dossier))) for dossier in dossiers]
    return render(request, "casework/restrictions.html", {
        "rows": rows, "form": RestrictionForm(), "error_items": []})


@manager_only
@recent_login_required
@require_POST
def restriction_set(request):
    form = RestrictionForm(request.POST)
    if form.is_valid():
        dossier = Dossier.objects.filter(number=form.cleaned_data["number"],
                                         merged_into__isnull=True).first()
        if dossier is None:
            form.add_error("number", _("No dossier with this number."))
        else:
            try:
                asked = dossier_restrict(actor=request.user, dossier=dossier,
                                                  analysts=form.cleaned_data["analysts"])
            except ValidationError as error:
                form.add_error("analysts", error.messages)
            else:
                if asked:
                    messages.warning(request, _(
                        "You cannot give yourself access to a restricted dossier: the change "
                        "to %(number)s waits for a second register manager to approve it.")
                        % {"number": dossier.number})
                else:
                    messages.success(request, _("The access to %(number)s was saved.")
                                     % {"number": dossier.number})
                return redirect("manage_restrictions")
    rows = [(d, list(restricted_to(d))) for d in
            Dossier.objects.filter(restricted=True, merged_into__isnull=True).order_by("number")]
    return render(request, "casework/restrictions.html",
                  {"rows": rows, "form": form, "error_items": error_items(form)})
