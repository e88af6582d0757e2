from tests.reporting.builders import (  # noqa: F401 (fixtures for every test)
    register_year,
    reported_victims,
)
