"""The public surface is exactly ``infopen.__all__``, sorted, and reports module ``infopen``."""

from __future__ import annotations

import subprocess
import sys

import infopen

PUBLIC = {
    "FontNotFoundError",
    "RequestNotFoundError",
    "StoreCorruptError",
    "StoreUnavailableError",
    "TransitionNotYetError",
    "AllowedEvent",
    "EventParam",
    "DuplicateRequestError",
    "StoreSchemaError",
    "IncompleteNoticeError",
    "notice_missing",
    "notice_details_table",
    "MissingElement",
    "fee_for_request",
    "InfopenError",
    "InvalidInputError",
    "InvalidFileError",
    "FileAccessError",
    "InvalidTypeError",
    "NotFoundError",
    "AuditResult",
    "audit",
    "BrokenIdentity",
    "check_report",
    "SimulationConfig",
    "SimulationResult",
    "SweepResult",
    "simulate",
    "sweep",
    "ConflictError",
    "EventStore",
    "Agency",
    "render_notice",
    "read_csv",
    "read_jsonl",
    "to_csv",
    "to_ical",
    "to_jsonl",
    "AnnualReport",
    "annual_report",
    "fee_by_items",
    "fee_by_pages",
    "PRC_2008",
    "PRC_2019",
    "Applicant",
    "ApplicantType",
    "Channel",
    "Deadline",
    "DeadlineTrace",
    "DeliveryMethod",
    "Event",
    "Ground",
    "Outcome",
    "Request",
    "Result",
    "Rules",
    "State",
    "Status",
    "Violation",
    "CalendarCoverageError",
    "EstimatedDate",
    "EstimatedDateWarning",
    "InvalidTransition",
    "MissingExtraError",
    "WorkCalendar",
    "WorkdayTrace",
    "national_calendar",
}


def test_all_is_sorted_and_exact() -> None:
    """__all__ is sorted and lists every public name and nothing else."""
    assert infopen.__all__ == sorted(infopen.__all__)
    assert set(infopen.__all__) == PUBLIC
    public_attrs = {n for n in dir(infopen) if not n.startswith("_")}
    assert public_attrs == PUBLIC


def test_exported_objects_report_infopen_module() -> None:
    """Every exported class and function claims the public module."""
    for name in infopen.__all__:
        obj = getattr(infopen, name)
        if isinstance(obj, infopen.Rules):
            continue  # rule profiles are instances of infopen.Rules
        assert obj.__module__ == "infopen", name


def test_version_comes_from_metadata() -> None:
    """__version__ is served from the installed metadata, not a string in the source."""
    from importlib.metadata import version

    assert infopen.__version__ == version("infopen")


def test_wheel_contains_catalogue_and_marker(tmp_path: object) -> None:
    """A built wheel ships py.typed and the compiled English catalogue."""
    import pathlib
    import zipfile

    out = pathlib.Path(str(tmp_path))
    root = pathlib.Path(__file__).parent.parent
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(root)],
        check=True,
    )
    (wheel,) = out.glob("infopen-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "infopen/py.typed" in names
    assert "infopen/locale/en_US/LC_MESSAGES/infopen.mo" in names
    for shipped in ("templates/reply.txt.j2", "schemas/request.schema.json", "examples/county.toml",
                    "examples/local_rules.toml"):  # fmt: skip
        assert f"infopen/{shipped}" in names
