import os
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

from register import env


@pytest.fixture
def environ(monkeypatch):
    def set_env(**values):
        for name, value in values.items():
            monkeypatch.setenv(name, value)

    return set_env


@pytest.mark.parametrize("value", ["maybe", "2", "enabled"])
def test_a_bad_boolean_names_the_variable(environ, value):
    environ(DEBUG=value)
    with pytest.raises(ImproperlyConfigured, match="DEBUG"):
        env.env_bool("DEBUG", False)


@pytest.mark.parametrize(("value", "expected"), [("true", True), ("0", False), ("On", True)])
def test_booleans_are_read_in_the_usual_spellings(environ, value, expected):
    environ(DEBUG=value)
    assert env.env_bool("DEBUG", not expected) is expected


def test_a_database_url_with_an_unknown_scheme_is_refused(environ):
    environ(DATABASE_URL="mysql://db/register")
    with pytest.raises(ImproperlyConfigured, match="DATABASE_URL"):
        env.env_url("DATABASE_URL", {"postgres", "postgresql", "sqlite"})


def test_a_redis_url_without_a_host_is_refused(environ):
    environ(REDIS_URL="redis://")
    with pytest.raises(ImproperlyConfigured, match="REDIS_URL"):
        env.env_url("REDIS_URL", {"redis"})


def test_a_port_must_be_a_number_in_range(environ):
    environ(PORT="eighty")
    with pytest.raises(ImproperlyConfigured, match="PORT"):
        env.env_int("PORT", 8000, minimum=1, maximum=65535)
    environ(PORT="70000")
    with pytest.raises(ImproperlyConfigured, match="PORT"):
        env.env_int("PORT", 8000, minimum=1, maximum=65535)


def test_an_unknown_time_zone_is_refused(environ):
    environ(TIME_ZONE="Caribbean/Bonaire")
    with pytest.raises(ImproperlyConfigured, match="TIME_ZONE"):
        env.env_timezone("TIME_ZONE", "America/Kralendijk")


def test_an_empty_item_in_allowed_hosts_is_refused(environ):
    environ(ALLOWED_HOSTS="register.example,,")
    with pytest.raises(ImproperlyConfigured, match="ALLOWED_HOSTS"):
        env.env_list("ALLOWED_HOSTS", [])


def test_the_local_secret_key_is_generated_once_and_kept(tmp_path):
    first = env.local_secret_key(tmp_path)
    assert len(first) > 40
    assert env.local_secret_key(tmp_path) == first
    assert oct((tmp_path / "secret_key").stat().st_mode)[-3:] == "600"


def start_settings(**values) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items()
                   if k not in {"SECRET_KEY", "DEBUG", "ALLOWED_HOSTS", "DJANGO_SETTINGS_MODULE"}}
    environment.update(values)
    return subprocess.run(
        [sys.executable, "-c", "import django; from django.conf import settings; "
                               "django.setup(); print(settings.TIME_ZONE)"],
        env={**environment, "DJANGO_SETTINGS_MODULE": "register.settings"},
        capture_output=True, text=True, timeout=60,
    )


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    result = start_settings(DEBUG="false", ALLOWED_HOSTS="x", VAR_DIR=str(tmp_path))
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def start_settings_printing(expression: str, **values) -> str:
    environment = {k: v for k, v in os.environ.items()
                   if k not in {"SECRET_KEY", "DEBUG", "ALLOWED_HOSTS", "SITE_URL",
                                "DJANGO_SETTINGS_MODULE"}}
    environment.update(values)
    result = subprocess.run(
        [sys.executable, "-c", "import django; from django.conf import settings; "
                               f"django.setup(); print({expression})"],
        env={**environment, "DJANGO_SETTINGS_MODULE": "register.settings"},
        capture_output=True, text=True, timeout=60, check=True,
    )
    return result.stdout.strip()


def test_production_links_in_mails_go_to_the_first_allowed_host_unless_site_url_is_set(tmp_path):
    production = {"DEBUG": "false", "SECRET_KEY": "x" * 50, "VAR_DIR": str(tmp_path),
                  "ALLOWED_HOSTS": ".register.example,other.example"}
    assert start_settings_printing("settings.SITE_URL", **production) == \
        "https://register.example"
    assert start_settings_printing("settings.SITE_URL", SITE_URL="https://thb.example/",
                                   **production) == "https://thb.example"


def test_a_bad_value_stops_the_start_with_the_variables_name(tmp_path):
    result = start_settings(DEBUG="yes please", VAR_DIR=str(tmp_path))
    assert result.returncode != 0
    assert "DEBUG must be one of" in result.stderr


def test_a_local_run_starts_on_the_defaults_in_caribbean_time(tmp_path):
    result = start_settings(DEBUG="true", VAR_DIR=str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "America/Kralendijk"
    assert (tmp_path / "secret_key").exists()
