"""How much one control may hold: one set of limits for the web form, the API and the database.

controls/forms.py and controls/api.py both read these; tests/controls/test_control_limits.py
proves that they agree with each other and with the database columns.
"""

from types import MappingProxyType

# A control visits a street or a harbour, not an island's whole register of businesses.
BUSINESSES_PER_CONTROL = 100
# More than every organisation of the covenant, so a real control never meets it.
PARTICIPANTS_PER_CONTROL = 30
# Findings are added one at a time, each by a participating organisation.
FINDINGS_PER_CONTROL = 200
# Any count recorded for a control: persons checked, arrests, violations found.
COUNT_MAX = 100_000

# Characters per text field.
PLAN_TEXT = MappingProxyType({
    "place": 200,
    "goal": 5_000,
    "team": 2_000,
    "briefing": 5_000,
})
RESULTS_TEXT = MappingProxyType({
    "cancelled_reason": 300,
    "follow_up_agreed": 5_000,
})
BUSINESS_NAME = 200
TASK = 300
FINDING_DESCRIPTION = 5_000
