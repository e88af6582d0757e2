import time

from django import forms
from django.contrib.auth import authenticate, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.core.exceptions import PermissionDenied
from django.core.validators import MaxLengthValidator
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _

from register.middleware import SESSION_CONFIRMED
from register.services.audit import audit_record
from register.ui import error_items


class LoginForm(AuthenticationForm):
    # One message for every failure, so a login never tells whether an account exists.
    error_messages = {
        "invalid_login": _("The username or password is not correct."),
        "inactive": _("The username or password is not correct."),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # AuthenticationForm sets max_length after the field is built, so no validator checks
        # it: a username of any length reached authenticate() and the login throttle's
        # 255-character column, a 500 on PostgreSQL. Longer than any account's name is simply
        # a form error.
        field = self.fields["username"]
        field.validators.append(MaxLengthValidator(field.max_length))


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    template_name = "registration/login.html"
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["error_items"] = error_items(context["form"])
        return context


class LogoutView(auth_views.LogoutView):
    pass


class _ErrorSummary:
    """Every error of the form, Django's own password rules included, in the summary above
    it (the password pages are Django's views, which give the template no error_items)."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["error_items"] = error_items(context["form"]) if context.get("form") else []
        return context


class ThrottledPasswordChangeForm(PasswordChangeForm):
    """The old password is checked through authenticate(), so the login throttle counts wrong
    guesses here too: a stolen session must not become an unlimited password oracle."""

    def __init__(self, *args, request, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request

    def clean_old_password(self):
        old_password = self.cleaned_data["old_password"]
        user = authenticate(self.request, username=self.user.get_username(),
                            password=old_password)
        if user is None or user.pk != self.user.pk:
            raise forms.ValidationError(self.error_messages["password_incorrect"],
                                        code="password_incorrect")
        return old_password


def _locked_out(request) -> bool:
    """authenticate() swallows the throttle's PermissionDenied; axes marks the request."""
    return bool(getattr(request, "axes_locked_out", False))


class PasswordChangeView(_ErrorSummary, auth_views.PasswordChangeView):
    template_name = "registration/password_form.html"
    success_url = "/"
    form_class = ThrottledPasswordChangeForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "request": self.request}

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        if _locked_out(request):  # too many wrong passwords: the session ends with the lock
            logout(request)
            return redirect("login")
        return response

    def form_valid(self, form):
        response = super().form_valid(form)
        audit_record(actor=self.request.user, action="register.user.password_changed",
                     obj=self.request.user)
        return response


class PasswordSetView(_ErrorSummary, auth_views.PasswordResetConfirmView):
    """The link from the welcome e-mail: the new user sets a first password."""

    template_name = "registration/password_form.html"
    success_url = "/accounts/login/"

    def form_valid(self, form):
        response = super().form_valid(form)
        audit_record(actor=None, action="register.user.password_set", obj=form.user,
                     username=form.user.get_username())
        return response


class ConfirmPasswordForm(forms.Form):
    password = forms.CharField(label=_("Password"), strip=False,
                               widget=forms.PasswordInput(attrs={"autocomplete":
                                                                 "current-password"}))

    def __init__(self, *args, request, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request

    def clean_password(self):
        # Through authenticate(), so the login throttle counts wrong passwords here too and
        # each failure is in the audit trail.
        password = self.cleaned_data["password"]
        user = authenticate(self.request, username=self.request.user.get_username(),
                            password=password)
        if user is None or user.pk != self.request.user.pk:
            raise forms.ValidationError(_("The password is not correct."))
        return password


@login_required
def reauthenticate(request):
    """Confirm the password before a sensitive action; the confirmation lasts a few minutes."""
    form = ConfirmPasswordForm(request.POST or None, request=request)
    try:
        confirmed = request.method == "POST" and form.is_valid()
    except PermissionDenied:
        confirmed = False
    if _locked_out(request):  # too many wrong passwords: the throttle locked the account
        logout(request)
        return redirect("login")
    if confirmed:
        request.session[SESSION_CONFIRMED] = time.time()
        audit_record(actor=request.user, action="register.session.reauthenticated")
        target = request.POST.get("next", "")
        if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
            target = "home"
        return redirect(target)
    return render(request, "registration/reauthenticate.html", {
        "form": form, "next": request.GET.get("next", request.POST.get("next", "")),
        "error_items": error_items(form)})
