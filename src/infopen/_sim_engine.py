"""
The simulation engine: SimPy processes for the arrivals, each request and the officers.

Every step is recorded as a real event on a real :class:`Request`, so deadlines, pauses,
violations and the annual report come from the library itself, not from a second model.
Time runs in calendar days from the first simulated day (1 January less the warm-up);
agencies work on the calendar's working days.

Officers are a resource. Each request needs an officer's working hours at four stages —
search, drafting a consultation letter (when one is sent), review and sign-off — and waits
in one queue for them; the queue's order (first in first out by arrival, or earliest due
date first) applies to every stage. An officer present on a working day gives
``hours_per_day`` to the queue, taking tasks in its order; a task not finished by the end
of the day is taken up first the next working day. Officers are absent on a working day
with probability ``leave_days`` / working days of the year.

Randomness is tied to the day, not to the sequence of draws (common random numbers that
survive a change of one month's rate): day ``d``'s arrivals and each arriving request's
uniforms come from ``SeedSequence([seed, replicate, d.toordinal(), 0])`` and ``[..., 3]``,
the officers' absences that day from ``[..., 1]``. Two runs that differ only in March's rate
see the same requests, with the same choices, on every day outside March, and the k-th
request of a March day makes the same choices in both.
"""

from __future__ import annotations

import bisect
import datetime as dt
import heapq
import itertools
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from ._calendar import WorkCalendar, calendar_or_default, check_reach
from ._errors import InvalidInputError, InvalidTypeError, MissingExtraError
from ._machine import State
from ._model import ApplicantType, DeliveryMethod, Ground, Outcome
from ._request import Request
from ._sim_config import Empirical, SimulationConfig

if TYPE_CHECKING:
    from ._audit import AuditResult
    from ._sim_result import SimulationResult

__all__ = ["SLOTS", "Engine", "check_seed", "draw", "simulate"]

#: The uniform draws each request owns, by purpose: with common random numbers the same
#: request gets the same draw for the same decision in every cell of a sweep.
SLOTS = {name: i for i, name in enumerate((
    "applicant", "withdraw", "withdraw_days", "correction", "correction_asked",
    "correction_answered", "correction_reply", "fee", "fee_paid", "fee_paid_days",
    "third_party", "third_party_wait", "agency", "agency_wait", "handling", "extension",
    "outcome", "ground", "search", "consultation", "review", "signoff",
))}  # fmt: skip
_BACKLOG_SPREAD = 20  # an initial backlog was received over the 20 working days before
_CHINA = dt.timezone(dt.timedelta(hours=8), "CST")


class _Task:
    """Officer work one request needs at one stage."""

    __slots__ = ("enqueued", "event", "remaining", "request", "stage", "started")

    def __init__(self, request: Request, stage: str, hours: float, event: Any, day: dt.date):
        self.request, self.stage, self.remaining, self.event = request, stage, hours, event
        self.enqueued, self.started = day, False


def draw(dist: tuple[Any, Any] | Empirical, u: float, *, whole: bool) -> Any:
    """A value of ``dist`` from the uniform draw ``u``: a whole number of days or hours."""
    if isinstance(dist, Empirical):
        cum = list(itertools.accumulate(dist.weights))
        return dist.values[min(bisect.bisect_right(cum, u * cum[-1]), len(cum) - 1)]
    low, high = dist
    if whole:
        return low + min(int(u * (high - low + 1)), high - low)
    return low + u * (high - low)


class Engine:
    """One run (see the module's docstring)."""

    def __init__(
        self,
        cfg: SimulationConfig,
        seed: int,
        calendar: WorkCalendar,
        progress: Callable[[int], None] | None,
        replicate: int,
        carried: Sequence[dt.date] = (),
    ) -> None:
        try:
            import numpy as np
            import simpy
        except ModuleNotFoundError as exc:
            raise MissingExtraError("The simulation", "sim", exc.name or "simpy") from None
        self.np, self.cfg, self.cal, self.seed, self.replicate = np, cfg, calendar, seed, replicate
        self.env = simpy.Environment()
        self.start, self.first = cfg.start, dt.date(cfg.year, 1, 1)
        self.end = dt.date(cfg.year, 12, 31)
        self.days = [self.start]  # day number -> date, grown as the clock advances
        self.heap: list[tuple[Any, int, _Task]] = []
        self.order = itertools.count()  # arrival order: the FIFO key of every stage
        self.ticket = itertools.count()  # ties within a key
        self.draws: dict[str, list[float]] = {}  # request id -> its uniforms
        self.seq: dict[str, int] = {}  # request id -> its place in arrival order
        self.pending: dict[str, Request] = {}  # open requests, in arrival order
        self.due_cache: dict[str, tuple[int, dt.date | None]] = {}  # id -> (events, due)
        self.requests: list[Request] = []
        self.backlog: list[tuple[dt.date, int]] = []
        self.waited: dict[str, int] = {}  # request id -> working days waiting for officers
        self.worked = [0.0] * cfg.officers  # hours worked in the year, per officer
        self.available = [0.0] * cfg.officers  # hours present in the year, per officer
        self.open = 0  # requests not yet answered, withdrawn or abandoned
        self.progress = progress
        self.carried = sorted(carried)
        workdays = calendar.workdays_between(dt.date(cfg.year - 1, 12, 31), self.end)
        self.p_absent = min(1.0, cfg.leave_days / workdays) if workdays else 0.0
        # Weighted draws by bisecting running totals (in the canonical order of the mixes).
        self.outcomes = [Outcome[k] for k in cfg.outcomes]
        self.outcome_cum = list(itertools.accumulate(cfg.outcomes.values()))
        self.grounds = [Ground[k] for k in cfg.grounds]
        self.ground_cum = list(itertools.accumulate(cfg.grounds.values()))
        self.applicants = [ApplicantType[k] for k in cfg.applicants]
        self.applicant_cum = list(itertools.accumulate(cfg.applicants.values()))

    # -- time and randomness -----------------------------------------------------

    def sim_clock(self) -> dt.datetime:
        """When a simulated event is recorded: the start of its simulated day in China."""
        day = self.day()
        return dt.datetime(day.year, day.month, day.day, tzinfo=_CHINA)

    def day(self) -> dt.date:
        """The simulated day."""
        n = int(self.env.now)
        while n >= len(self.days):
            self.days.append(self.days[-1] + dt.timedelta(days=1))
        return self.days[n]

    def wait_until(self, day: dt.date) -> Any:
        return self.env.timeout(max(0, (day - self.day()).days))

    def rng(self, day: dt.date, stream: int) -> Any:
        """
        The generator of ``day``'s draws: its count of arrivals (0), absences (1), the
        initial backlog (2), the arriving requests' uniforms (3).
        """
        return self.np.random.default_rng([self.seed, self.replicate, day.toordinal(), stream])

    @staticmethod
    def pick(cum: list[float], u: float) -> int:
        """An index with the weights whose running totals are ``cum``, from the draw ``u``."""
        return min(bisect.bisect_right(cum, u * cum[-1]), len(cum) - 1)

    # -- arrivals ----------------------------------------------------------------

    def arrivals(self) -> Any:
        cfg, cal = self.cfg, self.cal
        backlog = [*self.carried]
        if cfg.initial_backlog:
            backlog += [cal.add_workdays(self.start, -(1 + i % _BACKLOG_SPREAD))
                        for i in range(cfg.initial_backlog)]  # fmt: skip
        if backlog:
            u = self.rng(self.start, 2).random((len(backlog), len(SLOTS))).tolist()
            for k, received in enumerate(sorted(backlog)):
                self.open_request(received, f"B{received:%Y%m%d}-{k + 1:05d}", u[k], backlog=True)
        replay: dict[dt.date, int] = {}
        for d in cfg.arrival_dates:
            replay[d] = replay.get(d, 0) + 1
        day = self.start
        while day <= self.end:
            if cfg.arrival_dates:
                n = replay.get(day, 0)
            elif cal.is_workday(day):
                wf = cfg.weekday_factors[day.weekday()] if day.weekday() < 5 else 1.0
                rate = cfg.daily_rate * wf * cfg.monthly_factors[day.month - 1]
                n = int(self.rng(day, 0).poisson(rate))
            else:
                n = 0
            if n:  # the k-th request of a day draws the same whatever the day's count
                u = self.rng(day, 3).random((n, len(SLOTS))).tolist()
                for k in range(n):
                    self.open_request(day, f"S{day:%Y%m%d}-{k + 1:04d}", u[k], backlog=False)
            yield self.env.timeout(1)
            day += dt.timedelta(days=1)

    def open_request(self, received: dt.date, rid: str, u: list[float], *, backlog: bool) -> None:
        kind = self.applicants[self.pick(self.applicant_cum, u[SLOTS["applicant"]])]
        r = Request.receive(
            received, applicant_type=kind, calendar=self.cal, request_id=rid, clock=self.sim_clock
        )
        self.draws[rid] = u
        self.seq[rid] = next(self.order)
        self.requests.append(r)
        self.pending[rid] = r
        self.waited[rid] = 0
        self.open += 1
        if self.progress:
            self.progress(1)
        self.env.process(self.handle(r, u, backlog=backlog))

    # -- one request ---------------------------------------------------------------

    def handle(self, r: Request, u: list[float], *, backlog: bool) -> Any:
        """A request's path. A carried-over one starts at the search, on the first day."""
        cfg, cal, s = self.cfg, self.cal, SLOTS
        received = r.received_on or self.day()
        if not backlog:
            if u[s["withdraw"]] < cfg.p_withdraw:
                days = draw((1, 10), u[s["withdraw_days"]], whole=True)
                yield self.wait_until(cal.add_workdays(received, days))
                r.withdraw(self.day())
                self.close(r)
                return
            if u[s["correction"]] < cfg.p_correction:
                asked = cal.add_workdays(
                    received, draw((1, 7), u[s["correction_asked"]], whole=True)
                )
                yield self.wait_until(asked)
                # Sent electronically: delivered (送达) the day it is sent (art 30 needs it).
                by = asked + dt.timedelta(days=15)
                r.request_correction(
                    asked, reply_by=by, delivered_on=asked, method=DeliveryMethod.ELECTRONIC
                )
                if u[s["correction_answered"]] < cfg.p_correction_answered:
                    reply = draw(cfg.correction_reply_days, u[s["correction_reply"]], whole=True)
                    yield self.wait_until(cal.add_workdays(asked, reply))
                    r.receive_correction(self.day())
                else:
                    # A last day on a rest day ends on the next working day (民事诉讼法 art 85).
                    last = by if cal.is_workday(by) else cal.add_workdays(by, 1)
                    yield self.wait_until(last + dt.timedelta(days=1))
                    r.abandon(self.day())
                    self.close(r)
                    return
            if u[s["fee"]] < cfg.p_fee:
                yield self.env.timeout(1)
                notice = self.day()
                # Sent electronically: delivered (送达) the day it is sent.
                r.send_fee_notice(
                    notice, amount=100, delivered_on=notice, method=DeliveryMethod.ELECTRONIC
                )
                window = r.rules.fee_payment_workdays
                if u[s["fee_paid"]] < cfg.p_fee_paid or window is None:  # a cost fee is paid
                    paid = draw((1, 15), u[s["fee_paid_days"]], whole=True)
                    yield self.wait_until(cal.add_workdays(notice, paid))
                    r.fee_paid(self.day())
                else:  # deemed abandoned the working day after the payment window
                    yield self.wait_until(cal.add_workdays(notice, window + 1))
                    r.abandon(self.day())
                    self.close(r)
                    return
        yield self.work(r, "search", draw(cfg.search_hours, u[s["search"]], whole=False))
        handling = draw(cfg.handling_days, u[s["handling"]], whole=True)
        if handling:  # the records come back from the departments that hold them
            yield self.wait_until(cal.add_workdays(self.day(), handling))
        for which, p, span in (("third_party", cfg.p_third_party, cfg.third_party_reply_days),
                               ("agency", cfg.p_agency, cfg.agency_reply_days)):  # fmt: skip
            if u[s[which]] < p:
                hours = draw(cfg.consultation_hours, u[s["consultation"]], whole=False)
                yield self.work(r, "consultation", hours)
                sent = self.day()
                getattr(r, f"consult_{which}")(sent)
                wait = draw(span, u[s[f"{which}_wait"]], whole=True)
                if wait <= 15:  # replied within its 15 working days; otherwise silence
                    yield self.wait_until(cal.add_workdays(sent, wait))
                    getattr(r, f"{which}_replied")(self.day())
                else:  # silence: the agency goes on the working day after the 15 (art 32)
                    yield self.wait_until(cal.add_workdays(sent, 16))
                if r.state is not State.PROCESSING:
                    break  # a silent party leaves the request with the agency in its state
        yield self.work(r, "review", draw(cfg.review_hours, u[s["review"]], whole=False))
        yield self.work(r, "signoff", draw(cfg.signoff_hours, u[s["signoff"]], whole=False))
        self.decide(r, self.day())

    def work(self, r: Request, stage: str, hours: float) -> Any:
        """Queue ``hours`` of officer work; the event fires the day it is done."""
        event = self.env.event()
        day = self.day()
        rid = r.request_id
        key: tuple[Any, ...] = (self.seq[rid],)
        if self.cfg.order == "edd":
            due = self.due(r, day)
            key = (due.toordinal() if due else 0, self.seq[rid])
        heapq.heappush(self.heap, (key, next(self.ticket), _Task(r, stage, hours, event, day)))
        return event

    def due(self, r: Request, day: dt.date) -> dt.date | None:
        """The request's due date as of ``day``, cached until its next event."""
        n, due = self.due_cache.get(r.request_id, (-1, None))
        if n != r.version:
            due = r.status(day).due_date
            self.due_cache[r.request_id] = (r.version, due)
        return due

    def decide(self, r: Request, day: dt.date) -> None:
        u = self.draws[r.request_id]
        outcome = self.outcomes[self.pick(self.outcome_cum, u[SLOTS["outcome"]])]
        grounds: list[Ground] = []
        if outcome.needs_grounds:
            grounds = [self.grounds[self.pick(self.ground_cum, u[SLOTS["ground"]])]]
        if outcome is Outcome.STILL_UNCLEAR and not any(
            e.kind == "receive_correction" for e in r.events
        ):
            outcome = Outcome.NOT_HELD
        if outcome is Outcome.EXCESSIVE and not any(e.kind == "reasons_replied" for e in r.events):
            # Art 35 needs reasons asked for and the applicant's answer first; the agency
            # model does not ask, so it answers on the merits instead.
            outcome = Outcome.NOT_HELD
        r.decide(day, outcome, grounds=grounds)
        self.close(r)

    def close(self, r: Request) -> None:
        """A request answered, withdrawn or abandoned leaves the open ones."""
        self.open -= 1
        del self.pending[r.request_id]
        self.due_cache.pop(r.request_id, None)

    # -- the officers ----------------------------------------------------------------

    def officers(self) -> Any:
        cfg = self.cfg
        yield self.env.timeout(0.5)  # officers work after the day's arrivals and replies
        while True:
            day = self.day()
            if self.cal.is_workday(day):
                absent = self.rng(day, 1).random(cfg.officers).tolist()
                budgets = [0.0 if a < self.p_absent else cfg.hours_per_day for a in absent]
                measured = day >= self.first
                if measured:
                    for k, b in enumerate(budgets):
                        self.available[k] += b
                signed = [0] * cfg.officers
                # Passes until nothing more can be done today: a stage finished in the
                # morning lets the request queue its next stage the same day.
                while self.heap and any(budgets) and self.work_pass(day, budgets, signed, measured):
                    yield self.env.timeout(0)
                self.extend_late(day)
                if measured:
                    self.backlog.append((day, self.open))
            yield self.env.timeout(1)

    def work_pass(
        self, day: dt.date, budgets: list[float], signed: list[int], measured: bool
    ) -> int:
        """
        The queue's tasks in its order, each to the present officer with the most hours
        left (the lowest number on a tie), until one is finished (1) or no more can be
        done today (0): a finished stage's request queues its next stage, in its place in
        the order, before the officers go on.
        """
        done = 0
        capacity = self.cfg.capacity
        deferred = []
        while self.heap:
            task = self.heap[0][2]
            most = max(budgets)
            if most <= 1e-9:
                break
            k = budgets.index(most)  # the officer with the most hours left
            if task.stage == "signoff" and signed[k] >= capacity:
                free = [i for i, b in enumerate(budgets) if b > 1e-9 and signed[i] < capacity]
                if not free:
                    deferred.append(heapq.heappop(self.heap))  # every officer signed enough
                    continue
                k = max(free, key=lambda i: budgets[i])
            if not task.started:
                task.started = True
                self.waited[task.request.request_id] += self.cal.workdays_between(
                    task.enqueued, day
                )
            spent = min(task.remaining, budgets[k])
            task.remaining -= spent
            budgets[k] -= spent
            if measured:
                self.worked[k] += spent
            if task.remaining <= 1e-9:
                heapq.heappop(self.heap)
                signed[k] += task.stage == "signoff"
                task.event.succeed()
                done += 1
                break  # the request queues its next stage before the queue goes on
        for item in deferred:
            heapq.heappush(self.heap, item)
        return done

    def extend_late(self, day: dt.date) -> None:
        """
        An open request whose due date is tomorrow may be extended (art 33 ¶2), wherever it
        is on its path.
        """
        # The next working day is worked out only for a request due after today: one due in
        # an unannounced year has warned already, and no other needs next year's calendar.
        tomorrow = None
        p = self.cfg.p_extension
        cache = self.due_cache
        for rid, r in self.pending.items():
            n = r.version
            entry = cache.get(rid)
            if entry is None or entry[0] != n:
                entry = (n, r.status(day).due_date)
                cache[rid] = entry
            due = entry[1]
            if due is None or due <= day:
                continue
            if tomorrow is None:
                tomorrow = self.cal.add_workdays(day, 1)
            if (
                due == tomorrow
                and r.state is State.PROCESSING
                and self.draws[rid][SLOTS["extension"]] < p
                and not any(e.kind == "extend" for e in r.events)
            ):
                r.extend(day, workdays=20)

    def run(self) -> SimulationResult:
        from ._sim_result import SimulationResult

        self.env.process(self.arrivals())
        self.env.process(self.officers())
        self.env.run(until=(self.end - self.start).days + 1)
        return SimulationResult(
            self.cfg, self.seed, tuple(self.requests), tuple(self.backlog), self.end,
            self.replicate,
            officer_hours=tuple(zip(self.worked, self.available, strict=True)),
            queue_workdays=dict(self.waited),
        )  # fmt: skip


def check_seed(value: object, what: str) -> int:
    if type(value) is not int or value < 0:
        msg = f"{what} must be a whole number >= 0, got {value!r:.40}"
        raise InvalidInputError(msg)
    return value


def _carried_dates(carry_over: object, start: dt.date) -> list[dt.date]:
    """The receipt dates of the requests still open in ``carry_over`` (a run or an audit)."""
    from ._audit import AuditResult
    from ._sim_result import SimulationResult

    if carry_over is None:
        return []
    if isinstance(carry_over, SimulationResult):
        dates = [r.received_on for r in carry_over.requests if r.is_open and r.received_on]
    elif isinstance(carry_over, AuditResult):
        dates = [row.received for row in carry_over.rows if row.decided is None]
    else:
        msg = (
            "carry_over must be a SimulationResult (the previous year's run) or an AuditResult "
            f"(a register), got {type(carry_over).__name__}"
        )
        raise InvalidTypeError(msg)
    late = [d for d in dates if d >= start]
    if late:
        msg = (
            f"carry_over has an open request received on {late[0].isoformat()}, not before "
            f"the first simulated day {start.isoformat()}; carry over an earlier year"
        )
        raise InvalidInputError(msg)
    return dates


def simulate(
    config: SimulationConfig | None = None,
    *,
    seed: int = 1,
    replicate: int = 0,
    calendar: WorkCalendar | None = None,
    progress: Callable[[int], None] | None = None,
    carry_over: SimulationResult | AuditResult | None = None,
) -> SimulationResult:
    """
    Simulate one agency-year (``config.year``) with a fixed seed (same seed, same result).

    Needs ``infopen[sim]``. Without a configuration the built-in county example runs.
    ``replicate`` numbers independent runs of one seed; runs with the same seed and
    replicate share their random streams, day by day (common random numbers, see
    :func:`sweep`). ``carry_over`` starts the year with the requests still open at the end
    of a previous run or in an audited register (they keep their receipt dates and start
    at the search); ``config.warmup_days`` and ``config.initial_backlog`` are the other
    ways not to start empty.

    .. versionadded:: 0.1.0
    .. versionchanged:: 0.2.0 ``carry_over``.
    """
    if config is not None and not isinstance(config, SimulationConfig):
        msg = (
            f"config must be a SimulationConfig (e.g. SimulationConfig.example({config!r:.40})), "
            f"got {type(config).__name__}"
        )
        raise InvalidTypeError(msg)
    cal = calendar_or_default(calendar)
    if progress is not None and not callable(progress):
        msg = f"progress must be a function taking a count, got {type(progress).__name__}"
        raise InvalidTypeError(msg)
    check_seed(seed, "seed")
    check_seed(replicate, "replicate")
    cfg = config or SimulationConfig.example("county")
    # The requests of December run into the next year: a calendar that stops sooner is
    # refused here, not by a failure deep inside the run (#23).
    check_reach(cal, dt.date(cfg.year + 1, 12, 31))
    carried = _carried_dates(carry_over, cfg.start)
    return Engine(cfg, seed, cal, progress, replicate, carried).run()
