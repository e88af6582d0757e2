from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from register.ui import error_items


class LoginForm(AuthenticationForm):
    # One message for every failure, so a login never tells whether an account exists.
    error_messages = {
        "invalid_login": _("The username or password is not correct."),
        "inactive": _("The username or password is not correct."),
    }


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
