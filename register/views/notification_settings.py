"""Each user's choice, per kind of notification: in the app only, or e-mail too (at once or
in a daily digest), and the language of those e-mails."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from register.models import NotificationPreference
from register.models.notifications import EVENTS, Delivery, events_for
from register.services.notifications import notification_preferences_save
from register.ui import error_items


class PreferencesForm(forms.Form):
    language = forms.ChoiceField(
        label=gettext_lazy("Language of e-mails"), required=False,
        choices=[("", gettext_lazy("The register's language"))] + list(settings.LANGUAGES))

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        chosen = dict(NotificationPreference.objects.filter(user=user)
                      .values_list("event", "delivery"))
        self.events = events_for(user)
        self.fields["language"].initial = user.language
        for code in self.events:
            spec = EVENTS[code]
            self.fields[f"event:{code}"] = forms.ChoiceField(
                label=spec.label or code, choices=Delivery.choices,
                initial=chosen.get(code, spec.delivery), widget=forms.RadioSelect)

    def choices(self) -> dict[str, str]:
        return {code: self.cleaned_data[f"event:{code}"] for code in self.events}


@login_required
def notification_settings(request):
    form = PreferencesForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        notification_preferences_save(actor=request.user, choices=form.choices(),
                                      language=form.cleaned_data["language"])
        messages.success(request, _("Your notification settings were saved."))
        return redirect("notification_settings")
    return render(request, "register/notification_settings.html", {
        "form": form, "error_items": error_items(form), "has_email": bool(request.user.email)})
