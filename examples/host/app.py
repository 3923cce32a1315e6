"""
An example host service embedding infopen (FastAPI + the SQLite event store).

The transaction boundary is one HTTP call: ``EventStore.apply`` loads the request, applies
the event and saves it. The store checks the version the request was loaded at, so two
officers acting on the same request at once cannot both win: the loser's save raises
``ConflictError`` inside ``apply``, which reloads and tries again. An event carries an
``event_id`` (the client's id for that action, a UUID): a retried POST with the same id
finds the event recorded and records nothing, so ten identical POSTs record one event.

Errors are mapped by their ``code`` and ``retryable`` flag, not by parsing messages: a
retryable error (the database stayed busy, a race lost too often) is 503 with
``Retry-After``, so a client or a queue tries again; the others say what to fix.

The store's pool holds 40 connections, each held for one call only, so FastAPI's 40
worker threads never wait for one; on SQLite the writers of the process share
transactions (group commit).

Only public names of infopen are used. Every date in a response comes with an
``..._estimated`` flag: true when it was computed on days whose State Council holiday
arrangement is not yet published (the store's calendar estimates them).

Run: ``uvicorn examples.host.app:app`` (``INFOPEN_DB`` picks the database: a SQLite file
path or a SQLAlchemy URL).
"""

import datetime as dt
import os
from typing import Annotated, Any

from fastapi import Body, Depends, FastAPI, HTTPException, Query
from fastapi.responses import PlainTextResponse

from infopen import (
    Agency,
    Applicant,
    ApplicantType,
    CalendarCoverageError,
    Channel,
    DuplicateRequestError,
    EventStore,
    InfopenError,
    InvalidTransition,
    Request,
    RequestNotFoundError,
    render_notice,
)

#: How often one call retries after losing a race to another writer.
ATTEMPTS = 20

AGENCY = Agency(
    name="某市某区住房和城乡建设局",
    reconsideration_body="某市某区人民政府",
    address="某市某区某路1号",
    contact="0000-00000000",
    number_prefix="某住建公",
)


def _day(value: dt.date | None) -> dict[str, Any]:
    """A date for JSON and whether it rests on estimated holiday data."""
    return {"date": value, "estimated": bool(getattr(value, "estimated", False))}


def _summary(r: Request, as_of: dt.date) -> dict[str, Any]:
    st = r.status(as_of)
    due = _day(st.due_date)
    return {
        "request_id": r.request_id,
        "state": r.state.value,
        "version": r.version,
        "due_date": due["date"],
        "due_date_estimated": due["estimated"] or st.estimated,
    }


def http_error(exc: InfopenError) -> HTTPException:
    """The HTTP answer to an infopen error, chosen by its ``code`` and ``retryable``."""
    if exc.retryable and not isinstance(exc, InvalidTransition):
        return HTTPException(503, f"{exc.code}: try again", headers={"Retry-After": "1"})
    if isinstance(exc, RequestNotFoundError):
        return HTTPException(404, str(exc))
    if isinstance(exc, (InvalidTransition, DuplicateRequestError)):
        return HTTPException(409, str(exc))  # TransitionNotYetError: exc.possible_from
    return HTTPException(422, {"code": exc.code, "field": exc.field, "message": str(exc)})


def create_app(url: Any) -> FastAPI:
    """
    The service on the event store at ``url`` (a SQLAlchemy URL, a SQLite file path, or the
    host's own SQLAlchemy ``Engine``).
    """
    store = EventStore(url)
    store.create_schema()
    app = FastAPI(title="infopen example host")

    def get_store() -> EventStore:
        return store

    Store = Annotated[EventStore, Depends(get_store)]  # noqa: N806 - a type alias, named like one

    def load(s: EventStore, request_id: str, *, identity: bool = False) -> Request:
        try:
            return s.load(request_id, include_identity=identity)
        except RequestNotFoundError:
            raise HTTPException(404, f"no request {request_id}") from None
        except InfopenError as exc:
            raise http_error(exc) from None

    @app.post("/requests", status_code=201)
    def receive(
        s: Store,
        received_on: Annotated[dt.date, Body()],
        channel: Annotated[str, Body()] = "IN_PERSON",
        applicant_type: Annotated[str, Body()] = "NATURAL_PERSON",
        request_id: Annotated[str | None, Body()] = None,
        applicant: Annotated[dict[str, str] | None, Body()] = None,
    ) -> dict[str, Any]:
        try:
            who = Applicant(**applicant) if applicant else None
            r = Request.receive(received_on, channel=Channel[channel], request_id=request_id,
                                applicant_type=ApplicantType[applicant_type], applicant=who,
                                calendar=s.calendar)  # fmt: skip
        except (KeyError, TypeError, ValueError) as exc:
            raise HTTPException(422, f"bad request: {exc}") from None
        try:
            s.save(r)  # a retried creation (the same events) writes nothing and is 201 again
        except DuplicateRequestError:
            raise HTTPException(409, f"request {r.request_id} exists") from None
        except InfopenError as exc:
            raise http_error(exc) from None
        return _summary(r, r.events[-1].on)

    @app.get("/requests/{request_id}")
    def show(s: Store, request_id: str, as_of: Annotated[dt.date, Query()]) -> dict[str, Any]:
        r = load(s, request_id)
        return {**_summary(r, as_of), "events": r.to_dict()["events"]}

    @app.post("/requests/{request_id}/events")
    def fire(s: Store, request_id: str, event: Annotated[dict[str, Any], Body()]) -> dict[str, Any]:
        # The transaction boundary: load, apply, save; a lost race reloads and tries again,
        # and an event whose event_id is already stored is then found and not added twice.
        try:
            recorded = s.apply(request_id, event, attempts=ATTEMPTS)
            r = s.load(request_id)
        except InfopenError as exc:
            raise http_error(exc) from None
        except (ValueError, TypeError) as exc:
            raise HTTPException(422, str(exc)) from None
        return {**_summary(r, max(e.on for e in r.events)), "recorded": recorded}

    @app.get("/due")
    def due(
        s: Store, as_of: Annotated[dt.date, Query()], within: Annotated[int, Query(ge=0, le=60)] = 5
    ) -> dict[str, Any]:
        try:
            ids = s.due_within(as_of, within)
            late = s.overdue(as_of)
        except CalendarCoverageError as exc:
            raise HTTPException(422, str(exc)) from None
        except InfopenError as exc:
            raise http_error(exc) from None
        items, overdue = [], []
        for r in s.load_many(ids + late):  # one query for both lists
            st = r.status(as_of)
            item = {"request_id": r.request_id, "due_date": st.due_date,
                    "due_date_estimated": _day(st.due_date)["estimated"] or st.estimated,
                    "remaining_workdays": st.remaining_workdays}  # fmt: skip
            (overdue if st.overdue else items).append(item)
        return {"as_of": as_of, "within_workdays": within, "requests": items, "overdue": overdue}

    @app.get("/requests/{request_id}/deadline", response_class=PlainTextResponse)
    def deadline(
        s: Store,
        request_id: str,
        as_of: Annotated[dt.date, Query()],
        lang: Annotated[str, Query()] = "zh",
    ) -> str:
        if lang not in ("zh", "en"):
            raise HTTPException(422, "lang must be zh or en")
        r = load(s, request_id)
        lines = [r.explain(as_of).render("zh" if lang == "zh" else "en"), ""]
        lines += [f"{d.name}\t{d.due}\t{d.article}\t{d.met}" for d in r.deadlines(as_of)]
        return "\n".join(lines) + "\n"

    @app.get("/requests/{request_id}/notice")
    def notice(
        s: Store,
        request_id: str,
        event: int = -1,
        fmt: Annotated[str, Query(alias="format")] = "text",
    ) -> PlainTextResponse:
        if fmt not in ("text", "html"):
            raise HTTPException(422, "format must be text or html")
        r = load(s, request_id, identity=True)  # identity is needed for the addressee line
        try:
            body = render_notice(r, agency=AGENCY, event=event, format=fmt)  # type: ignore[arg-type]
        except IndexError as exc:
            raise HTTPException(404, str(exc)) from None
        except ValueError as exc:
            raise HTTPException(422, str(exc)) from None
        media = "text/html; charset=utf-8" if fmt == "html" else "text/plain; charset=utf-8"
        return PlainTextResponse(str(body), media_type=media)

    return app


def __getattr__(name: str) -> FastAPI:
    # Built on first use (``uvicorn examples.host.app:app``), not on import.
    if name == "app":
        return create_app(os.environ.get("INFOPEN_DB", "infopen-host.db"))
    raise AttributeError(name)
