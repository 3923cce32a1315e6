"""Hypothesis strategies shared by the test suite (extend here, not in test modules)."""

from __future__ import annotations

import datetime as dt

from hypothesis import strategies as st

from infopen import national_calendar

COVERED_FIRST = dt.date(2004, 1, 1)
COVERED_LAST = dt.date(2026, 10, 31)  # leaves room to count forwards inside coverage

covered_dates = st.dates(min_value=COVERED_FIRST, max_value=COVERED_LAST)
working_days = covered_dates.filter(national_calendar().is_workday)
counts = st.integers(min_value=0, max_value=40)
signed_counts = st.integers(min_value=-40, max_value=40)

# -- requests -------------------------------------------------------------------

from infopen import ApplicantType, Channel, Ground, Outcome, Result  # noqa: E402

receipt_dates = st.dates(min_value=dt.date(2024, 1, 2), max_value=dt.date(2026, 6, 30))
channels = st.sampled_from(list(Channel))
applicant_types = st.sampled_from(list(ApplicantType))
decided_outcomes = st.sampled_from(
    [
        o
        for o in Outcome
        if o.name not in ("WITHDRAWN", "ABANDONED_NO_CORRECTION", "ABANDONED_UNPAID_FEE")
    ]
)
grounds = st.lists(st.sampled_from(list(Ground)), min_size=0, max_size=2, unique=True)
results = st.sampled_from(list(Result))
gaps = st.integers(min_value=0, max_value=25)  # calendar days between events
