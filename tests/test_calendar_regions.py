"""Regional rest days shipped as cited data: 广西 壮族三月三, 新疆 and 宁夏 festivals."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

import infopen
from infopen import InfopenError, national_calendar
from infopen._toml import read_toml

D = dt.date
REGIONS = Path(infopen.__file__).parent / "regions"
NATIONAL = national_calendar()


def test_guangxi_sanyuesan_days_are_rest_days_only_in_guangxi() -> None:
    """2024: 4月11日至12日 off in 广西 (the regional notice), working days nationally."""
    gx = NATIONAL.with_region("广西")
    for day in (D(2024, 4, 11), D(2024, 4, 12)):
        assert NATIONAL.is_workday(day)
        assert not gx.is_workday(day)
    # 11 April 2024 + 1 working day: the national Friday, or Guangxi's Monday.
    assert NATIONAL.add_workdays(D(2024, 4, 10), 1) == D(2024, 4, 11)
    assert gx.add_workdays(D(2024, 4, 10), 1) == D(2024, 4, 15)
    assert NATIONAL.with_region("广西壮族自治区").is_workday(D(2024, 4, 11)) is False


def test_a_regional_rest_day_overrides_a_national_workday() -> None:
    """2022-04-02 was a national 调休 workday; the 广西 notice gave it off."""
    assert NATIONAL.is_workday(D(2022, 4, 2))
    assert not NATIONAL.with_region("广西").is_workday(D(2022, 4, 2))


def test_xinjiang_and_ningxia_festivals() -> None:
    """古尔邦节 2022 in 新疆 (7月9日至13日) and 2021 in 宁夏 (7月19日至20日)."""
    assert not NATIONAL.with_region("新疆").is_workday(D(2022, 7, 11))
    assert not NATIONAL.with_region("宁夏").is_workday(D(2021, 7, 19))
    assert NATIONAL.is_workday(D(2022, 7, 11))


@pytest.mark.parametrize("path", sorted(REGIONS.glob("*.toml")), ids=lambda p: p.stem)
def test_every_shipped_day_cites_its_notice(path: Path) -> None:
    """No uncited data: each entry names its notice (source) and where it was read (url)."""
    data = read_toml(path)
    entries = data.get("rest", []) + data.get("work", [])
    assert entries
    for entry in entries:
        assert "通知" in entry["source"]
        assert entry["url"].startswith("http")


def test_an_unknown_region_is_refused_with_the_known_ones() -> None:
    """A region without shipped data is an InfopenError listing the regions that have data."""
    with pytest.raises(InfopenError, match="广西") as info:
        NATIONAL.with_region("西藏")
    assert isinstance(info.value, ValueError)
