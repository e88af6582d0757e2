import pytest


@pytest.fixture
def analyst(as_user):
    """A logged-in analyst of KPCN, as the triage and dossier pages see her."""
    return as_user("analyst_kpcn")
