"""Planning jobs: a bounded process pool that runs the jobs the database holds.

The server adds a job row (`api.store.jobs.add_job`) and wakes the runner; the runner
claims queued jobs while a process is free and runs each in its own process
(`run_job`), which reads the job's scenario, solves it, and writes progress and the
checked plan back under its claim. A server that is killed loses nothing: when it
starts again, jobs left running go back to the queue, and a run that lost its claim
stops at its next look at the database and writes nothing.
"""

from __future__ import annotations

import functools
import logging
import multiprocessing
import threading
import time
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any

from api.formats.plan_document import PlanDocumentError
from api.formats.scenario import ScenarioError, parse_scenario
from api.processes import exit_with_parent
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
        error = (rejected_replan(exc, request.get("plan_id")) if request.get("kind") == REPLAN
                 else f"internal error, no plan: {exc}")
    except Exception:  # any other bug: the job says so instead of staying 'running'
        log.exception("job %s failed", job_id)
        error = "internal error while planning; see the server log"
    if claim.lost:
        return "lost"
    with session_scope(url) as session:
        written = store.finish(session, job_id, token, status, plan=plan, error=error)
    return status.value if written else "lost"


def rejected_replan(exc: PlanRejected, plan_id: str | None) -> str:
    """A re-planning whose plan failed the independent check: the rules it broke, where,
    and that no new version was made (the plan re-planned stays as it is)."""
    rules = ", ".join(dict.fromkeys(v.rule for v in exc.violations)) or "?"
    where = "; ".join(str(v) for v in exc.violations[:5])
    return (f"internal error: the re-planned plan broke the rule(s) {rules} ({where}); no new "
            f"version was made, plan {plan_id or '?'} stays as it is")


SWEEP = "sweep"  # a job's request kinds besides planning
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
    """A sweep job: the variants one by one, each row written as progress; a cancelled
    sweep keeps the rows it has."""
    from api.sweep import SweepIn, monotonicity_flags, run_until, sweep_of

    rows: list[Any] = []
    status, error = store.JobStatus.FAILED, None
    try:
        sweep = sweep_of(SweepIn.model_validate(request["sweep"]),
                         parse_scenario(request["scenario"], source="job scenario"),
                         graph=graph)

        def done(row: Any) -> None:
            rows.append(row)
            with session_scope(url) as session:
                store.record_progress(session, job_id, token, {
                    "variants_done": len(rows), "variants": len(sweep.variants)})

        run_until(sweep, done, claim.is_set)
        status = store.JobStatus.CANCELLED if claim.is_set() else store.JobStatus.DONE
    except (ScenarioError, GraphLoadError, ValueError) as exc:
        error = str(exc)
    except Exception:
        log.exception("sweep job %s failed", job_id)
        error = "internal error while sweeping; see the server log"
    if claim.lost:
        return "lost"
    result = {"format": SWEEP_FORMAT, "rows": [r.__dict__ for r in rows],
              "flags": monotonicity_flags(rows)}
    with session_scope(url) as session:
        written = store.finish(session, job_id, token, status, plan=result, error=error)
    return status.value if written else "lost"


def _warmed_up(future: Future[float]) -> None:
    if future.cancelled():  # the server stopped first
        return
    error = future.exception()
    if error is not None:
        log.error("compiling the search steps failed: %r", error)
    else:
        log.info("search steps compiled or loaded in %.1f s", future.result())


class JobRunner:
    """Keeps up to `workers` jobs running, each in a process of its own (spawned)."""

    def __init__(self, url: str, *, workers: int, graph: str | None) -> None:
        self.url, self.workers, self.graph = url, workers, graph
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._running: dict[Future[str], str] = {}
        self._pool = self._new_pool()
        self._thread = threading.Thread(target=self._loop, name="trasa-jobs", daemon=True)

    def _new_pool(self) -> ProcessPoolExecutor:
        # A fresh process per job: memory a solve leaves behind goes with its process.
        return ProcessPoolExecutor(max_workers=self.workers, max_tasks_per_child=1,
                                   mp_context=multiprocessing.get_context("spawn"),
                                   initializer=exit_with_parent)

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
        """Stop claiming; running solves go on while this process lives and end with it
        (`api.processes`); a restarted server gives their jobs to new runs."""
        self._stop.set()
        self._wake.set()
        self._thread.join(timeout=5)
        self._pool.shutdown(wait=False, cancel_futures=True)

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                self._fill()
            except Exception:  # the database away for a moment: try again later
                log.exception("job runner: cannot claim jobs")
            self._wake.wait(IDLE_WAKE_S)
            self._wake.clear()

    def _fill(self) -> None:
        while len(self._running) < self.workers and not self._stop.is_set():
            with session_scope(self.url) as session:
                claimed = store.claim_next(session)
            if claimed is None:
                return
            job_id, token = claimed
            try:
                future = self._pool.submit(run_job, self.url, job_id, token, self.graph)
            except BrokenProcessPool:
                self._pool = self._new_pool()
                future = self._pool.submit(run_job, self.url, job_id, token, self.graph)
            self._running[future] = job_id
            future.add_done_callback(functools.partial(self._done, token=token))

    def _done(self, future: Future[str], *, token: str) -> None:
        job_id = self._running.pop(future, "?")
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
