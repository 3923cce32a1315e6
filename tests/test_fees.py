"""Fees of 国办函〔2020〕109号: tier boundaries as literals, and properties."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from infopen import fee_by_items, fee_by_pages


@pytest.mark.parametrize(
    ("n", "fee"),
    [
        (0, 0),
        (10, 0),
        (11, 100),
        (30, 2000),
        (31, 2200),
        (35, 3000),
        (40, 4000),
        (41, 4300),
        (50, 7000),
    ],
)
def test_items_per_month(n: int, fee: int) -> None:
    """First 10 free, 11-30 at 100 元, 31-40 at 200 元, 41-50 at 300 元 (LEGAL.md §2.2)."""
    assert fee_by_items(n) == fee


@pytest.mark.parametrize(
    ("p", "fee"),
    [(0, 0), (30, 0), (31, 10), (100, 700), (101, 720), (150, 1700), (200, 2700), (201, 2740)],
)
def test_pages_per_application(p: int, fee: int) -> None:
    """Pages 1-30 free, 31-100 at 10 元, 101-200 at 20 元, 201+ at 40 元 (LEGAL.md §2.2)."""
    assert fee_by_pages(p) == fee


@given(st.integers(min_value=0, max_value=500))
def test_item_marginal_rate(n: int) -> None:
    """Each further application costs its band's rate; fees never fall as n grows."""
    step = fee_by_items(n + 1) - fee_by_items(n)
    item = n + 1
    expected = 0 if item <= 10 else 100 if item <= 30 else 100 + 100 * ((item - 31) // 10 + 1)
    assert step == expected


@given(st.integers(min_value=0, max_value=2000))
def test_page_marginal_rate(p: int) -> None:
    """Each further page costs its band's rate."""
    page = p + 1
    expected = 0 if page <= 30 else 10 if page <= 100 else 20 if page <= 200 else 40
    assert fee_by_pages(p + 1) - fee_by_pages(p) == expected


@pytest.mark.parametrize("bad", [-1, 1.5, "3", True, None])
def test_bad_counts_are_refused(bad: object) -> None:
    """Negative, fractional, boolean or textual counts raise a clear ValueError."""
    with pytest.raises(ValueError, match="whole number"):
        fee_by_items(bad)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="whole number"):
        fee_by_pages(bad)  # type: ignore[arg-type]


def test_fee_for_one_request_given_the_earlier_ones_this_month() -> None:
    """The 1st-10th request of a month cost nothing, the 11th 100 元, the 31st 200 元 (109号 art 4)."""
    from infopen import fee_for_request

    assert [fee_for_request(n) for n in (0, 9, 10, 29, 30, 39, 40)] == [
        0,
        0,
        100,
        100,
        200,
        200,
        300,
    ]
    assert sum(fee_for_request(n) for n in range(35)) == fee_by_items(35) == 3000
    with pytest.raises(ValueError, match="earlier applications"):
        fee_for_request(-1)


@given(st.integers(min_value=0, max_value=120))
def test_fee_for_request_adds_up_to_the_monthly_total(n: int) -> None:
    """Charging each request its own fee adds up to the month's cumulative fee."""
    from infopen import fee_for_request

    assert sum(fee_for_request(k) for k in range(n)) == fee_by_items(n)
