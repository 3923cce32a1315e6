"""
infopen: requests under the PRC Regulations on Open Government Information, on the
Chinese working-day calendar.
"""

from ._calendar import (
    EstimatedDate,
    EstimatedDateWarning,
    WorkCalendar,
    WorkdayTrace,
    national_calendar,
)
from ._errors import CalendarCoverageError, InvalidTransition, MissingExtraError

__all__ = [
    "CalendarCoverageError",
    "EstimatedDate",
    "EstimatedDateWarning",
    "InvalidTransition",
    "MissingExtraError",
    "WorkCalendar",
    "WorkdayTrace",
    "national_calendar",
]


def __getattr__(name: str) -> str:
    if name == "__version__":
        from importlib.metadata import version

        return version("infopen")
    msg = f"module 'infopen' has no attribute {name!r}"
    raise AttributeError(msg)


# Report the public module, as httpx does, so reprs and docs show ``infopen.X``.
for _name in __all__:
    globals()[_name].__module__ = "infopen"
del _name
