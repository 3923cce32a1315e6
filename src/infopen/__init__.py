"""
infopen: requests under the PRC Regulations on Open Government Information, on the
Chinese working-day calendar.
"""

from ._allowed import AllowedEvent, EventParam
from ._audit import AuditResult, audit
from ._calendar import (
    EstimatedDate,
    EstimatedDateWarning,
    WorkCalendar,
    WorkdayTrace,
    national_calendar,
)
from ._clock import Status
from ._deadlines import Deadline
from ._errors import (
    CalendarCoverageError,
    ConflictError,
    DuplicateRequestError,
    FileAccessError,
    FontNotFoundError,
    IncompleteNoticeError,
    InfopenError,
    InvalidFileError,
    InvalidInputError,
    InvalidTransition,
    InvalidTypeError,
    MissingExtraError,
    NotFoundError,
    RequestNotFoundError,
    StoreCorruptError,
    StoreSchemaError,
    StoreUnavailableError,
    TransitionNotYetError,
)
from ._exports import read_csv, read_jsonl, to_csv, to_ical, to_jsonl
from ._fees import fee_by_items, fee_by_pages, fee_for_request
from ._machine import State
from ._model import (
    Applicant,
    ApplicantType,
    Channel,
    DeliveryMethod,
    Event,
    Ground,
    Outcome,
    Result,
)
from ._notices import Agency, MissingElement, notice_details_table, notice_missing, render_notice
from ._report import AnnualReport, annual_report
from ._report_check import BrokenIdentity, check_report
from ._request import Request
from ._rules import PRC_2008, PRC_2019, Rules
from ._simulate import SimulationConfig, SimulationResult, SweepResult, simulate, sweep
from ._store import EventStore
from ._trace import DeadlineTrace
from ._violations import Violation

__all__ = [  # noqa: RUF022 - plain sorted(), which the public-surface test checks
    "Agency",
    "AllowedEvent",
    "AnnualReport",
    "Applicant",
    "ApplicantType",
    "AuditResult",
    "BrokenIdentity",
    "CalendarCoverageError",
    "Channel",
    "ConflictError",
    "Deadline",
    "DeadlineTrace",
    "DeliveryMethod",
    "DuplicateRequestError",
    "EstimatedDate",
    "EstimatedDateWarning",
    "Event",
    "EventParam",
    "EventStore",
    "FileAccessError",
    "FontNotFoundError",
    "Ground",
    "IncompleteNoticeError",
    "InfopenError",
    "InvalidFileError",
    "InvalidInputError",
    "InvalidTransition",
    "InvalidTypeError",
    "MissingElement",
    "MissingExtraError",
    "NotFoundError",
    "Outcome",
    "PRC_2008",
    "PRC_2019",
    "Request",
    "RequestNotFoundError",
    "Result",
    "Rules",
    "SimulationConfig",
    "SimulationResult",
    "State",
    "Status",
    "StoreCorruptError",
    "StoreSchemaError",
    "StoreUnavailableError",
    "SweepResult",
    "TransitionNotYetError",
    "Violation",
    "WorkCalendar",
    "WorkdayTrace",
    "annual_report",
    "audit",
    "check_report",
    "fee_by_items",
    "fee_by_pages",
    "fee_for_request",
    "national_calendar",
    "notice_details_table",
    "notice_missing",
    "read_csv",
    "read_jsonl",
    "render_notice",
    "simulate",
    "sweep",
    "to_csv",
    "to_ical",
    "to_jsonl",
]


def __getattr__(name: str) -> str:
    if name == "__version__":
        from importlib.metadata import version

        return version("infopen")
    msg = f"module 'infopen' has no attribute {name!r}"
    raise AttributeError(msg)


# Report the public module, as httpx does, so reprs and docs show ``infopen.X``.
for _name in __all__:
    if not isinstance(globals()[_name], Rules):  # profiles are instances, not definitions
        globals()[_name].__module__ = "infopen"
del _name
