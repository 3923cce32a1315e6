"""
Information-processing fees (信息处理费).

References:
    * 政府信息公开信息处理费管理办法 (国办函〔2020〕109号), art 3 (two methods, progressive
      tiers, one method per application), art 4 (per item, per applicant per natural month),
      art 5 (per page, per application). LEGAL.md §2.2.

Checked With:
    * The tier tables in LEGAL.md §2.2 (35 items in a month: 3,000 元; 150 pages: 1,700 元).

Limitations:
    * A request's monthly count comes from the caller: infopen does not know an applicant's
      other requests.
"""

from __future__ import annotations

from ._errors import InvalidInputError

__all__ = ["fee_by_items", "fee_by_pages", "fee_for_request"]

# 按件计收: (first item of the band, 元 per item); each band of 10 after 30 costs 100 元 more.
_ITEM_FREE = 10  # the first 10 applications in a natural month are free (art 4)
_ITEM_FIRST_PAID_LAST = 30  # items 11-30 cost 100 元 each
_ITEM_BASE_RATE = 100
_ITEM_BAND = 10

# 按量计收: (last page of the band, 元 per page) (art 5).
_PAGE_BANDS: tuple[tuple[int, int], ...] = ((30, 0), (100, 10), (200, 20))
_PAGE_TOP_RATE = 40  # every page from the 201st


def _count(value: object, what: str) -> int:
    if type(value) is not int or value < 0:
        msg = f"{what} must be a whole number >= 0, got {value!r}"
        raise InvalidInputError(msg)
    return value


def fee_by_items(n: int) -> int:
    """
    The total fee, in 元, for ``n`` applications by one applicant in one natural month.

    The first 10 are free, the 11th-30th cost 100 元 each, the 31st-40th 200 元, the
    41st-50th 300 元, and each further band of 10 costs 100 元 more per item
    (国办函〔2020〕109号 arts 3-4; progressive: each band pays only its own rate).

    Raises:
        ValueError: if ``n`` is not a whole number >= 0.

    .. versionadded:: 0.1.0
    """
    n = _count(n, "the number of applications")
    # Closed form, so a huge count costs no time: items 11-30 at the base rate, then whole
    # bands of 10 at base + 100 x band number, then the last, partial band.
    fee = max(0, min(n, _ITEM_FIRST_PAID_LAST) - _ITEM_FREE) * _ITEM_BASE_RATE
    beyond = max(0, n - _ITEM_FIRST_PAID_LAST)
    bands, rest = divmod(beyond, _ITEM_BAND)
    # sum over b = 1..bands of 10 items x (100 + 100 b)
    fee += _ITEM_BAND * _ITEM_BASE_RATE * (bands + bands * (bands + 1) // 2)
    fee += rest * (_ITEM_BASE_RATE + _ITEM_BASE_RATE * (bands + 1))
    return fee


def fee_by_pages(p: int) -> int:
    """
    The fee, in 元, for one application of ``p`` pages.

    Pages 1-30 are free, 31-100 cost 10 元 each, 101-200 cost 20 元, every page from the
    201st costs 40 元 (国办函〔2020〕109号 arts 3, 5; progressive).

    Raises:
        ValueError: if ``p`` is not a whole number >= 0.

    .. versionadded:: 0.1.0
    """
    p = _count(p, "the number of pages")
    fee, lower = 0, 0
    for last, rate in _PAGE_BANDS:
        fee += max(0, min(p, last) - lower) * rate
        lower = last
    return fee + max(0, p - lower) * _PAGE_TOP_RATE


def fee_for_request(earlier_this_month: int) -> int:
    """
    The fee, in 元, for one more application from an applicant who has already made
    ``earlier_this_month`` applications to the agency in the same natural month.

    This is the question an office asks when a request arrives: the request is the
    ``earlier_this_month + 1``-th of the month, and only its own band's rate applies
    (国办函〔2020〕109号 arts 3-4; progressive by item). The 1st-10th cost nothing, the
    11th-30th 100 元, the 31st-40th 200 元, and so on. The total over a month is
    :func:`fee_by_items`.

    Raises:
        ValueError: if ``earlier_this_month`` is not a whole number >= 0.

    .. versionadded:: 0.2.0
    """
    earlier = _count(earlier_this_month, "the number of earlier applications this month")
    return fee_by_items(earlier + 1) - fee_by_items(earlier)
