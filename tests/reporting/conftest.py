from tests.reporting.builders import register_year  # noqa: F401 (a fixture for every test)
