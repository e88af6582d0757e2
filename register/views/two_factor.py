"""Enrolling an authenticator app and logging in with its one-time code."""

import base64

import segno
from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from register.services.audit import audit_record
from register.two_factor import confirmed_device
from register.ui import error_items


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("One-time code"),
        help_text=_("The 6 digits your authenticator app shows now."),
        max_length=6, min_length=6,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric",
                                      "pattern": "[0-9]*", "autofocus": True}),
    )

    def __init__(self, *args, device: TOTPDevice, **kwargs):
        super().__init__(*args, **kwargs)
        self.device = device

    def clean_code(self):
        code = self.cleaned_data["code"].strip()
        if not code.isdigit() or not self.device.verify_token(code):
            raise forms.ValidationError(_("This code is not correct. Try the code shown now."))
        return code


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                       require_https=request.is_secure()):
        return target
    return settings.LOGIN_REDIRECT_URL


@login_required
def two_factor_verify(request):
    device = confirmed_device(request.user)
    if device is None:
        return redirect("two_factor_setup")
    form = CodeForm(request.POST or None, device=device)
    if request.method == "POST":
        if form.is_valid():
            otp_login(request, device)
            audit_record(actor=request.user, action="register.two_factor.verified")
            return redirect(_next_url(request))
        audit_record(actor=request.user, action="register.two_factor.failed")
    return render(request, "registration/two_factor_verify.html",
                  {"form": form, "next": _next_url(request), "error_items": error_items(form)})


@login_required
def two_factor_setup(request):
    if confirmed_device(request.user):
        return redirect("two_factor_verify")
    device, _created = TOTPDevice.objects.get_or_create(
        user=request.user, confirmed=False, defaults={"name": "authenticator"}
    )
    form = CodeForm(request.POST or None, device=device)
    if request.method == "POST" and form.is_valid():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        otp_login(request, device)
        audit_record(actor=request.user, action="register.two_factor.enrolled", obj=device)
        return redirect(_next_url(request))
    secret = base64.b32encode(device.bin_key).decode()
    qr = segno.make(device.config_url, error="m")
    return render(request, "registration/two_factor_setup.html", {
        "form": form,
        "next": _next_url(request),
        "secret": " ".join(secret[i:i + 4] for i in range(0, len(secret), 4)),
        # An inline SVG is markup, not script or style: it needs no CSP exception.
        "qr_svg": mark_safe(qr.svg_inline(scale=5, svgclass="qr", lineclass=None,  # noqa: S308
                                          title=str(_("QR code for your authenticator app")))),
        "error_items": error_items(form),
    })
