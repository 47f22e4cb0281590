"""Planning jobs: a bounded process pool that runs the jobs the database holds.

The server adds a job row (`api.store.jobs.add_job`) and wakes the runner; the runner
claims queued jobs while a process is free and runs each in its own process
(`run_job`), which reads the job's scenario, solves it, and writes progress and the
checked plan back under its claim. A server that is killed loses nothing: when it
starts again, jobs left running go back to the queue, and a run that lost its claim
stops at its next look at the database and writes nothing.

Fairness (`api.store.jobs.claim_next`): plans go before sweeps, and the owner with the
fewest jobs running first. A sweep runs variant by variant and writes each row as it
goes, so when every process is busy and a plan waits, the runner gives a running
sweep's process to the plan (`JobRunner._make_room`): the sweep goes back to the
queue, its variant under way stops within seconds (its row is lost, it is planned
again later) and it resumes after the plan with the rows it has. So with one process
a plan waits seconds for a sweep, not the sweep's hour. The price: a steady stream of
plans delays a sweep, each plan bounded by TRASA_JOB_TIME_LIMIT_S.

Processes: every worker of the pool ends with the server (`api.processes`), and a
server that stops ends the solves under way (their jobs are queued again when it
starts).
"""

from __future__ import annotations

import functools
import logging
import multiprocessing
import threading
import time
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from api.formats.plan_document import PlanDocumentError
from api.formats.scenario import ScenarioError, parse_scenario
from api.processes import end_pool_processes, pool_options
from api.service import plan_scenario, prepare
from api.store import jobs as store
from api.store.database import session_scope
from geo.graph import GraphLoadError
from optimiser.check import PlanRejected
from optimiser.params import Progress, SolveParams
from optimiser.replan import ReplanError
from optimiser.sisr.warm_up import compile_steps

log = logging.getLogger(__name__)

CLAIM_CHECK_EVERY_S = 0.5  # a run looks at its claim and the cancel flag this often
PROGRESS_EVERY_S = 1.0  # ... and writes its progress at most this often
IDLE_WAKE_S = 2.0  # the runner looks for queued jobs at least this often


class _Claim:
    """The cancel signal of a run: set when the job is to stop or the run lost its claim
    (a run whose server is gone ends with it: `api.processes`)."""

    def __init__(self, url: str, job_id: str, token: str) -> None:
        self.url, self.job_id, self.token = url, job_id, token
        self.lost = False
        self._cancelled = False
        self._checked = 0.0

    def is_set(self) -> bool:
        now = time.monotonic()
        if not (self.lost or self._cancelled) and now - self._checked >= CLAIM_CHECK_EVERY_S:
            self._checked = now
            with session_scope(self.url) as session:
                claimed, cancel = store.still_claimed(session, self.job_id, self.token)
            self.lost, self._cancelled = not claimed, cancel
        return self.lost or self._cancelled


def run_job(url: str, job_id: str, token: str, graph: str | None) -> str:
    """Solve one job in this process; returns the status written (or "lost")."""
    with session_scope(url) as session:
        request = session.get(store.Job, job_id).request  # type: ignore[union-attr]
    claim = _Claim(url, job_id, token)
    last_write = [0.0]

    def on_progress(p: Progress) -> None:
        now = time.monotonic()
        if now - last_write[0] < PROGRESS_EVERY_S:
            return
        last_write[0] = now
        with session_scope(url) as session:
            store.record_progress(session, job_id, token, {
                "elapsed_s": round(p.elapsed_s, 1), "served": p.served, "tasks": p.tasks,
                "objective": p.objective})

    status, plan, error = store.JobStatus.FAILED, None, None
    if request.get("kind") == SWEEP:
        return _run_sweep(url, job_id, token, graph, request, claim)
    try:
        scenario = parse_scenario(request["scenario"], source="job scenario")
        params = SolveParams(**request["params"])
        if request.get("kind") == REPLAN:
            plan, cancelled = _replan(scenario, request, params, graph, on_progress, claim)
        else:
            planned = plan_scenario(scenario, base_dir=Path.cwd(), params=params, graph=graph,
                                    on_progress=on_progress, cancel=claim)
            plan, cancelled = planned.document(), planned.plan.stats.cancelled
        status = store.JobStatus.CANCELLED if cancelled else store.JobStatus.DONE
    except (ScenarioError, GraphLoadError, ReplanError, PlanDocumentError) as exc:
        error = str(exc)
    except PlanRejected as exc:  # a solver bug: reported, the plan never handed out
        log.error("job %s: %s", job_id, exc)
        error = f"internal error, no plan: {exc}"
    except Exception:  # any other bug: the job says so instead of staying 'running'
        log.exception("job %s failed", job_id)
        error = "internal error while planning; see the server log"
    if claim.lost:
        return "lost"
    with session_scope(url) as session:
        written = store.finish(session, job_id, token, status, plan=plan, error=error)
    return status.value if written else "lost"


SWEEP = store.SWEEP_KIND  # a job's request kinds besides planning
REPLAN = "replan"  # ... re-planning gives a plan too
SWEEP_FORMAT = "trasa-sweep/1"


def _replan(scenario: Any, request: dict[str, Any], params: SolveParams, graph: str | None,
            on_progress: Any, claim: _Claim) -> tuple[dict[str, Any], bool]:
    """A re-planning job: the plan version's document after the events."""
    from api.formats.events import parse_events
    from api.replanning import replan_document

    prepared = prepare(scenario, base_dir=Path.cwd(), graph=graph)
    done = replan_document(scenario, prepared, request["document"],
                           parse_events(request["events"]), solve=params,
                           based_on=request["plan_id"], on_progress=on_progress,
                           cancel=claim)
    return done.document, done.replanned.plan.stats.cancelled


def _run_sweep(url: str, job_id: str, token: str, graph: str | None, request: dict[str, Any],
               claim: _Claim) -> str:
    """A sweep job: the variants one by one, each within its time limit (the request's,
    at most the server's TRASA_JOB_TIME_LIMIT_S) and hearing the cancel signal. Each row
    is written as it comes (the job's `plan` holds the rows so far), so a cancelled
    sweep keeps them and a run given back to the queue (`JobRunner._make_room`) or cut
    short by a server stop resumes after them."""
    from api.settings import get_settings
    from api.sweep import Row, SweepIn, monotonicity_flags, run_until, sweep_of

    with session_scope(url) as session:
        before = session.get(store.Job, job_id).plan  # type: ignore[union-attr]
    rows: list[Any] = [Row(**r) for r in (before or {}).get("rows", [])
                       if (before or {}).get("format") == SWEEP_FORMAT]

    def result() -> dict[str, Any]:
        return {"format": SWEEP_FORMAT, "rows": [r.__dict__ for r in rows],
                "flags": monotonicity_flags(rows)}

    status, error = store.JobStatus.FAILED, None
    try:
        spec = SweepIn.model_validate(request["sweep"])
        limit = min(spec.time_limit_s, get_settings().job_time_limit_s)
        sweep = sweep_of(spec.model_copy(update={"time_limit_s": limit}),
                         parse_scenario(request["scenario"], source="job scenario"),
                         graph=graph)

        def done(row: Any) -> None:
            rows.append(row)
            with session_scope(url) as session:
                store.record_progress(session, job_id, token, {
                    "variants_done": len(rows), "variants": len(sweep.variants)},
                    partial=result())

        run_until(sweep, done, claim, skip={r.variant for r in rows})
        order = {v.key: k for k, v in enumerate(sweep.variants)}
        rows.sort(key=lambda r: order.get(r.variant, len(order)))
        status = store.JobStatus.CANCELLED if claim.is_set() else store.JobStatus.DONE
    except (ScenarioError, GraphLoadError, ValueError) as exc:
        error = str(exc)
    except Exception:
        log.exception("sweep job %s failed", job_id)
        error = "internal error while sweeping; see the server log"
    if claim.lost:
        return "lost"
    with session_scope(url) as session:
        written = store.finish(session, job_id, token, status, plan=result(), error=error)
    return status.value if written else "lost"


def _warmed_up(future: Future[float]) -> None:
    if future.cancelled():  # the server stopped first
        return
    error = future.exception()
    if error is not None:
        log.error("compiling the search steps failed: %r", error)
    else:
        log.info("search steps compiled or loaded in %.1f s", future.result())


@dataclass
class _Run:
    """A job under way in the pool."""

    job_id: str
    token: str
    sweep: bool
    given_back: bool = False  # a sweep asked to give its process to a plan


class JobRunner:
    """Keeps up to `workers` jobs running, each in a process of its own (spawned)."""

    def __init__(self, url: str, *, workers: int, graph: str | None) -> None:
        self.url, self.workers, self.graph = url, workers, graph
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._running: dict[Future[str], _Run] = {}
        self._pool = self._new_pool()
        self._thread = threading.Thread(target=self._loop, name="trasa-jobs", daemon=True)

    def _new_pool(self) -> ProcessPoolExecutor:
        # A fresh process per job: memory a solve leaves behind goes with its process.
        return ProcessPoolExecutor(max_workers=self.workers, max_tasks_per_child=1,
                                   mp_context=multiprocessing.get_context("spawn"),
                                   **pool_options())

    def start(self) -> None:
        with session_scope(self.url) as session:
            again = store.requeue_interrupted(session)
        if again:
            log.warning("%d interrupted job(s) queued again", again)
        # The first plan after an installation would wait for numba's compiler; a process
        # of the pool compiles the search steps now (from the cache: about 1.5 s).
        self._pool.submit(compile_steps).add_done_callback(_warmed_up)
        self._thread.start()

    def wake(self) -> None:
        self._wake.set()

    def stop(self) -> None:
        """Stop claiming and end the pool's processes, solves under way included (their
        jobs stay running in the database, and a restarted server gives them to new
        runs): no process of the server outlives it."""
        self._stop.set()
        self._wake.set()
        self._thread.join(timeout=5)
        self._pool.shutdown(wait=False, cancel_futures=True)
        end_pool_processes(self._pool)

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                self._fill()
            except Exception:  # the database away for a moment: try again later
                log.exception("job runner: cannot claim jobs")
            self._wake.wait(IDLE_WAKE_S)
            self._wake.clear()

    def _fill(self) -> None:
        while not self._stop.is_set():
            if len(self._running) >= self.workers:
                self._make_room()
                return
            with session_scope(self.url) as session:
                claimed = store.claim_next(session)
            if claimed is None:
                return
            job_id, token, sweep = claimed
            try:
                future = self._pool.submit(run_job, self.url, job_id, token, self.graph)
            except BrokenProcessPool:
                self._pool = self._new_pool()
                future = self._pool.submit(run_job, self.url, job_id, token, self.graph)
            self._running[future] = _Run(job_id, token, sweep)
            future.add_done_callback(functools.partial(self._done, token=token))

    def _make_room(self) -> None:
        """Every process busy: give the process of a running sweep (the one started
        last) to each waiting plan. The sweep's run sees its claim gone within
        `CLAIM_CHECK_EVERY_S` and ends; its process then takes the plan (`claim_next`
        puts plans first)."""
        sweeps = [run for run in self._running.values() if run.sweep and not run.given_back]
        if not sweeps:
            return
        giving = sum(1 for run in self._running.values() if run.given_back)
        with session_scope(self.url) as session:
            waiting = store.plans_waiting(session) - giving
            for run in reversed(sweeps[-waiting:] if waiting > 0 else []):
                if store.give_back(session, run.job_id, run.token):
                    log.info("sweep %s gives its process to a waiting plan", run.job_id)
                run.given_back = True

    def _done(self, future: Future[str], *, token: str) -> None:
        run = self._running.pop(future, None)
        job_id = run.job_id if run is not None else "?"
        error: BaseException | None = future.exception()
        if error is not None:  # the process died (killed, out of memory): say so
            log.error("job %s: the solver process died: %r", job_id, error)
            with session_scope(self.url) as session:
                store.finish(session, job_id, token, store.JobStatus.FAILED,
                             error=f"the solver process died ({type(error).__name__})")
        self._wake.set()


def job_request(scenario: dict[str, Any], params: SolveParams) -> dict[str, Any]:
    """What a job row keeps: the whole scenario (a snapshot) and the solver parameters."""
    return {"scenario": scenario, "params": {
        "time_limit_s": params.time_limit_s, "max_solutions": params.max_solutions,
        "stall_solutions": params.stall_solutions, "seed": params.seed, "searches": 1}}
