"""Forms of the register manager's account pages."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from register.models import Organisation, Role, User
from register.services.accounts import check_role_allowed


class UserForm(forms.Form):
    username = forms.RegexField(
        label=_("Username"), max_length=150, regex=r"^[a-z0-9._-]+$",
        help_text=_("Lower-case letters, digits, dots, hyphens; e.g. j.doe.kmar."),
        error_messages={"invalid": _("Use lower-case letters, digits, dots and hyphens only.")},
    )
    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    email = forms.EmailField(label=_("E-mail address"))
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    organisation = forms.ModelChoiceField(label=_("Organisation"),
                                          queryset=Organisation.objects.filter(is_active=True))
    roles = forms.MultipleChoiceField(label=_("Roles"), choices=Role.choices,
                                      widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, instance: User | None = None, **kwargs):
        self.instance = instance
        if instance is not None:
            kwargs.setdefault("initial", {
                "username": instance.username, "first_name": instance.first_name,
                "last_name": instance.last_name, "email": instance.email,
                "phone": instance.phone, "organisation": instance.organisation,
                "roles": sorted(instance.role_codes)})
        super().__init__(*args, **kwargs)
        if instance is not None:
            self.fields["username"].disabled = True

    def clean_username(self):
        username = self.cleaned_data["username"]
        if self.instance is None and User.objects.filter(username=username).exists():
            raise ValidationError(_("This username is taken."))
        return username

    def clean(self):
        cleaned = super().clean()
        organisation = cleaned.get("organisation")
        for role in cleaned.get("roles", []):
            if organisation is None:
                break
            try:
                check_role_allowed(organisation=organisation, role=role)
            except ValidationError as error:
                self.add_error("roles", error)
        return cleaned
