"""Intake's own pages. They are served under /signals/ together with casework's pages of one
signal, in the `signals` namespace that casework/urls_signals.py assembles."""

from django.urls import path

from signals.views import entry, reading

urlpatterns = [
    path("new/", entry.signal_new, name="new"),
    path("paper/", entry.signal_new_paper, name="new_paper"),
    path("mine/", reading.my_signals, name="mine"),
]
