"""Hypothesis strategies shared by the test suite (extend here, not in test modules)."""

from __future__ import annotations

import datetime as dt

import numpy as np
from hypothesis import strategies as st

from infopen import (
    ApplicantType,
    Channel,
    DeliveryMethod,
    Ground,
    Outcome,
    Result,
    national_calendar,
)

# -- calendar -------------------------------------------------------------------

_CAL = national_calendar()
COVERED_FIRST = dt.date(2004, 1, 1)  # leaves room to count 40 working days backwards
COVERED_LAST = dt.date(2026, 10, 31)  # leaves room to count 40 working days forwards

#: Any day of the announced data, working or not.
covered_dates = st.dates(min_value=COVERED_FIRST, max_value=COVERED_LAST)
#: Days around the State Council's holiday blocks, where counting is hardest: the last
#: week of September to mid-October, and late January to the end of February.
holiday_season_dates = st.one_of(
    st.builds(
        lambda y, k: dt.date(y, 9, 24) + dt.timedelta(days=k),
        st.integers(2004, 2026),
        st.integers(0, 21),
    ),
    st.builds(
        lambda y, k: dt.date(y, 1, 20) + dt.timedelta(days=k),
        st.integers(2004, 2026),
        st.integers(0, 40),
    ),
)
#: A covered day, biased towards holiday seasons.
dates = st.one_of(covered_dates, holiday_season_dates)
#: Working days only.
working_days = dates.filter(_CAL.is_workday)
#: The same day in each form the calendar accepts: date, ISO string, naive datetime.
day_inputs = dates.flatmap(lambda d: st.sampled_from([d, d.isoformat()]).map(lambda v: (d, v)))
#: Counts of working days (the statutory periods are 7, 15, 20 and 20 + 20).
counts = st.integers(min_value=0, max_value=40)
signed_counts = st.integers(min_value=-40, max_value=40)
#: Lists of covered days, and the same as numpy datetime64[D] arrays.
date_lists = st.lists(dates, max_size=30)
datetime64_arrays = date_lists.map(lambda ds: np.array(ds, dtype="datetime64[D]"))

# -- requests -------------------------------------------------------------------

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
# Documents that reach an addressee (送达), how, and how many calendar days after sending.
sent_documents = st.sampled_from(
    ["request_correction", "consult_third_party", "consult_agency", "extend", "send_fee_notice",
     "ask_for_reasons", "set_delayed_deadline", "decide", "abandon", "reconsideration_decided",
     "lawsuit_decided"]
)  # fmt: skip
delivery_methods = st.none() | st.sampled_from(list(DeliveryMethod))
delivery_delays = st.integers(min_value=0, max_value=12)

# -- hostile input (the fuzz test of #13) ------------------------------------------

#: Strings a careless or hostile caller passes: control characters, right-to-left marks,
#: rich markup, template syntax, almost-dates, names in the wrong case, very long text.
hostile_strings = st.one_of(
    st.text(max_size=20),
    st.text(alphabet=st.characters(categories=["Cc", "Cf", "Zs", "Co"]), max_size=8),
    st.sampled_from(
        [
            "",
            " ",
            "\x00",
            "\ufeff",
            "\u202e2026-09-28",
            "2026-09-28\u200f",
            "[/]",
            "[/red]",
            "[bold]x",
            "{{ 7 * 7 }}",
            "{% raise %}",
            "%s%n",
            "2026-02-30",
            "20260928",
            "2026-W40-1",
            "2026-9-28",
            " 2026-09-28",
            "0001-01-01",
            "9999-12-31",
            "NaN",
            "inf",
            "-1",
            "1e309",
            "PRC_2019",
            "PRC_2008",
            "PROCESSING",
            "processing",
            "DISCLOSED",
            "disclosed",
            "county",
            "markdown",
            "docx",
            "zh",
            "en",
            "raise",
            "estimate",
            "sqlite://",
            "x" * 5_000,
            "编号",
            "收到日期",
        ]
    ),
)
#: Numbers at and past every edge: huge, negative, NaN, infinite, bools and numpy scalars.
hostile_numbers = st.one_of(
    st.integers(),
    st.sampled_from([0, -1, 1, 20, 21, 2**31, 2**63, -(2**63), 10**100, 99_999]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.sampled_from([np.int64(5), np.float64("nan"), np.True_]),
)
#: Days at the edges of what datetime holds, datetimes (naive and aware) and date-like junk.
hostile_days = st.one_of(
    st.dates(),
    st.datetimes(timezones=st.sampled_from([None, dt.timezone.utc])),
    st.sampled_from([dt.date.min, dt.date.max, np.datetime64("2026-09-28"), dt.time(9)]),
)
_hostile_leaves = st.one_of(
    st.none(),
    hostile_strings,
    hostile_numbers,
    hostile_days,
    st.binary(max_size=8),
    st.sampled_from(
        [*Outcome, *Ground, *Channel, *ApplicantType, *Result, object(), print, bytearray(b"x")]
    ),
)
#: Anything at all, including the wrong containers (lists, dicts, sets, tuples) of junk.
junk = st.recursive(
    _hostile_leaves,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.tuples(inner, inner),
        st.dictionaries(st.one_of(hostile_strings, st.integers()), inner, max_size=3),
        st.frozensets(st.integers(), max_size=3),
    ),
    max_leaves=6,
)
#: Text files as they arrive: a document cut short, in another encoding, with junk inside.
damaged_text_encodings = st.sampled_from(["utf-8", "gbk", "utf-16", "latin-1", "utf-8-sig"])

# -- registers (audit) ------------------------------------------------------------

#: Cell text an agency's register holds: ASCII, common Chinese, and the characters CSV
#: must quote (comma, quote, newline); every character is in GBK too.
register_cells = st.text(
    alphabet=st.sampled_from(list('AB12 -/.年月日申请公开予以不信息第三方,"\n')), max_size=8
)


@st.composite
def register_tables(draw: st.DrawFn) -> tuple[list[str], list[list[str]]]:
    """A header with a receipt-date column and rows of exactly its width, none all blank."""
    width = draw(st.integers(2, 6))
    others = draw(st.lists(st.sampled_from(["编号", "答复日期", "答复结果", "备注", "id"]),
                           min_size=width - 1, max_size=width - 1, unique=True))  # fmt: skip
    header = others[:]
    header.insert(draw(st.integers(0, len(others))), "收到日期")
    rows = draw(st.lists(st.lists(register_cells, min_size=width, max_size=width)
                         .filter(lambda r: any(c.strip() for c in r)), max_size=6))  # fmt: skip
    return header, rows


# Notice details a clerk may or may not give (empty text is "not given").
notice_texts = st.one_of(
    st.just(""), st.text(alphabet="某局文件第号年月日<>&\"'", min_size=1, max_size=12)
)
_NOTICE_KEYS = ("subject", "addressee", "how", "provided", "withheld", "location", "search",
                "earlier", "regime", "matters", "basis", "account", "facts")  # fmt: skip
notice_details = st.fixed_dictionaries({}, optional=dict.fromkeys(_NOTICE_KEYS, notice_texts))


# -- texts that exports and stores must carry unchanged --------------------------------

#: Characters that have broken line-based readers and renderers: line and paragraph
#: separators, NEL, NUL and other controls, right-to-left marks and overrides, emoji,
#: fullwidth forms, and CJK.
AWKWARD_CHARACTERS = (
    "\u2028\u2029\x85\x00\x0b\x0c\x1c\x1d\x1e\r\n\t\u200f\u202e\u2066"
    "😀👩‍⚖️\uff21\uff41\uff10\u3000，。申请公开\"',;\\"
)
#: Free text (an agency's name, a contact) full of those characters.
awkward_texts = st.text(
    alphabet=st.one_of(st.sampled_from(AWKWARD_CHARACTERS), st.characters(codec="utf-8")),
    min_size=1,
    max_size=20,
)
#: Request and event ids a store can hold (no NUL: PostgreSQL text cannot), still awkward.
storable_ids = awkward_texts.map(lambda t: t.replace("\x00", "")).filter(bool).map(lambda t: t[:64])

# -- who and why (#18) ----------------------------------------------------------------------
#: A staff identifier, a note: awkward but storable text (not blank).
actors = st.none() | storable_ids.filter(str.strip)
notes = st.none() | awkward_texts.map(lambda t: t.replace("\x00", "")).filter(str.strip)
#: A host's small JSON object.
_meta_leaves = st.none() | st.booleans() | st.integers(-(10**6), 10**6) | st.text(max_size=8)
metas = st.none() | st.dictionaries(
    st.text(max_size=6),
    st.one_of(_meta_leaves, st.lists(_meta_leaves, max_size=3)),
    max_size=4,
)
#: Days to shift a correction or a late record by (either way).
shifts = st.integers(min_value=-15, max_value=15)

# -- hostile input, third round (#23) ----------------------------------------------------

#: Days at and near both ends of what ``datetime.date`` holds, the end of the default
#: calendar's estimates, and any day at all.
extreme_dates = st.one_of(
    st.sampled_from(
        [dt.date.min, dt.date(1, 1, 2), dt.date(9999, 12, 25), dt.date(9999, 12, 30),
         dt.date.max, dt.date(2056, 12, 31), dt.date(2057, 1, 1), dt.date(2100, 1, 4)]
    ),
    st.dates(),
)  # fmt: skip
#: Calendar-day periods from plausible to past every date (10**7 days is 27,000 years).
extreme_periods = st.one_of(st.integers(1, 60), st.sampled_from([3650, 3651, 10**7, 10**9, 2**63]))
#: Text XML and most codecs cannot carry: lone surrogates and C0/C1 control characters.
uncarriable_texts = st.text(
    alphabet=st.one_of(
        st.characters(categories=["Cs", "Cc"]), st.sampled_from(list("申请公开\u2028\u2029"))
    ),
    min_size=1,
    max_size=12,
)
#: What a careless caller passes for a flag: truthy and falsy non-booleans.
non_boolean_flags = st.sampled_from(["no", "yes", "", "false", "True", 0, 1, 0.0, 2, None, [], "0"])
#: A marker to plant in an applicant's identity and look for in every error.
identity_markers = st.from_regex(r"IDMARK[A-Z0-9]{8}", fullmatch=True)
