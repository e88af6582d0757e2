"""Addresses shared by the tests of the triage pages."""

from django.urls import reverse


def detail(signal):
    return reverse("signals:detail", args=[signal.reference])


def act(signal, action):
    """The triage action's own route: "open-dossier" posts to signals:open_dossier."""
    return reverse(f"signals:{action.replace('-', '_')}", args=[signal.reference])
