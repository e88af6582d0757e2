"""How much one signal may hold: one set of limits for the web form, the API and the database.

The form (signals/forms.py), the API serializers (signals/api/serializers.py and
signals/api/casework.py) and the triage forms read these; tests/signals/test_input_limits.py
proves that each door applies the same limit and that each fits its database column, so a
limit cannot be raised at one door only.
"""

from types import MappingProxyType

# Persons, businesses and vehicles, each, in one signal. The web form offers rows up to this
# number and refuses a request that claims more before it builds a single row.
PARTS_PER_SIGNAL = 50

# Characters per text field, by the model that stores it.
SIGNAL_TEXT = MappingProxyType({
    "reporter_name": 200,
    "reporter_phone": 30,
    "reporter_email": 254,
    "location": 200,
    "description": 20_000,
    "border_position": 100,
})
PERSON_TEXT = MappingProxyType({
    "family_name": 150,
    "given_names": 150,
    "alias": 150,
    "document_number": 50,
    "phone": 30,
    "notes": 5_000,
})
BUSINESS_TEXT = MappingProxyType({
    "name": 200,
    "registration_number": 50,
    "address": 300,
})
VEHICLE_TEXT = MappingProxyType({
    "name": 150,
    "registration": 50,
    "description": 300,
})

ESTIMATED_AGE_MAX = 120
# Persons in one boat or group at the border; countries it passed through.
GROUP_SIZE_MAX = 10_000
TRANSIT_COUNTRIES_MAX = 10

# An analyst's question to the reporter, or the reason a signal is not taken up.
TRIAGE_TEXT = 5_000

# Signals named in one API request on a dossier (open, add, remove); the pages take one at a time.
SIGNALS_PER_REQUEST = 100


def max_lengths(limits) -> dict[str, dict[str, int]]:
    """`extra_kwargs` for a ModelSerializer: the same limits as the form's fields."""
    return {name: {"max_length": length} for name, length in limits.items()}
