import os
import subprocess
import sys

from django.urls import reverse


def test_the_production_settings_pass_the_deployment_check(tmp_path):
    environment = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    environment.update({
        "DJANGO_SETTINGS_MODULE": "register.settings", "DEBUG": "false",
        "SECRET_KEY": "k3y-" + "x8Q!z" * 12, "ALLOWED_HOSTS": "register.example",
        "VAR_DIR": str(tmp_path),
    })
    environment.pop("SECURE_HTTPS", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env=environment, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_pages_carry_a_content_security_policy_without_unsafe_inline(client, db):
    policy = client.get(reverse("login"))["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy


def test_every_form_is_protected_against_cross_site_requests(db):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("login"), {"username": "reporter.kmar", "password": "x"})
    assert response.status_code == 403


def test_cookies_are_http_only_and_same_site(settings):
    assert settings.SESSION_COOKIE_HTTPONLY and settings.CSRF_COOKIE_HTTPONLY
    assert settings.SESSION_COOKIE_SAMESITE == "Lax"
