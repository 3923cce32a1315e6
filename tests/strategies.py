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
