import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english(_language_of_no_request):
    """The assertions read English messages (the default, Dutch, is tested by the journey)."""
    with translation.override("en"):
        yield
