"""Planning jobs: a bounded set of processes that run the jobs the database holds.

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
queue, its process is ended at once (the variant under way gives no row, it is
planned again later) and it resumes after the plan with the rows it has. So with one process
a plan waits seconds for a sweep, not the sweep's hour. The price: a steady stream of
plans delays a sweep, each plan bounded by TRASA_JOB_TIME_LIMIT_S.

Stops are real (`JobRunner`): a plan's run asked to stop that has not stopped within
`STOP_GRACE_S` is killed, a sweep's at once, and a cancelled one's end is written by
the runner. Every job process ends
with the server (`api.processes`), and a server that stops ends the solves under way
(their jobs are queued again when it starts).
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
import threading
import time
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Any

from api.formats.plan_document import PlanDocumentError
from api.formats.scenario import ScenarioError, parse_scenario
from api.processes import solver_process
from api.service import plan_scenario, prepare
from api.services.parameters import params_json, params_of
from api.services.reading import material_or_none
from api.store import jobs as store
from api.store.database import session_scope
from geo.graph import GraphLoadError, load_graph
from geo.network import network_hash
from optimiser.check import PlanRejected
from optimiser.params import Progress, SolveParams
from optimiser.replan import ReplanError
from optimiser.sisr.warm_up import compile_steps

log = logging.getLogger(__name__)

CLAIM_CHECK_EVERY_S = 0.5  # a run looks at its claim and the cancel flag this often
PROGRESS_EVERY_S = 1.0  # ... and writes its progress at most this often


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

    status, plan, error, reading = store.JobStatus.FAILED, None, None, None
    if request.get("kind") == SWEEP:
        return _run_sweep(url, job_id, token, graph, request, claim)
    try:
        scenario = parse_scenario(request["scenario"], source="job scenario")
        params = params_of(request["params"])
        if request.get("kind") == REPLAN:
            plan, cancelled, reading = _replan(scenario, request, params, graph, on_progress,
                                               claim)
        else:
            planned = plan_scenario(scenario, base_dir=Path.cwd(), params=params, graph=graph,
                                    on_progress=on_progress, cancel=claim)
            plan, cancelled = planned.document(), planned.plan.stats.cancelled
            reading = material_or_none(planned.problem, planned.plan, planned.matrices)
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
        written = store.finish(session, job_id, token, status, plan=plan, error=error,
                               reading=reading)
    return status.value if written else "lost"


def rejected_replan(exc: PlanRejected, plan_id: str | None) -> str:
    """A re-planning whose plan failed the independent check: the rules it broke, where,
    and that no new version was made (the plan re-planned stays as it is)."""
    rules = ", ".join(dict.fromkeys(v.rule for v in exc.violations)) or "?"
    where = "; ".join(str(v) for v in exc.violations[:5])
    return (f"internal error: the re-planned plan broke the rule(s) {rules} ({where}); no new "
            f"version was made, plan {plan_id or '?'} stays as it is")


SWEEP = store.SWEEP_KIND  # a job's request kinds besides planning
REPLAN = "replan"  # ... re-planning gives a plan too
SWEEP_FORMAT = store.SWEEP_FORMAT


def _replan(scenario: Any, request: dict[str, Any], params: SolveParams, graph: str | None,
            on_progress: Any, claim: _Claim) -> tuple[dict[str, Any], bool, dict[str, Any] | None]:
    """A re-planning job: the plan version's document after the events, whether it was
    cancelled, and its reading's material (`api.services.reading`)."""
    from api.formats.events import parse_events
    from api.replanning import replan_document

    prepared = prepare(scenario, base_dir=Path.cwd(), graph=graph)
    done = replan_document(scenario, prepared, request["document"],
                           parse_events(request["events"]), solve=params,
                           based_on=request["plan_id"], on_progress=on_progress,
                           cancel=claim)
    out = done.replanned
    return (done.document, out.plan.stats.cancelled,
            material_or_none(out.problem, out.plan, prepared.matrices))


def _run_sweep(url: str, job_id: str, token: str, graph: str | None, request: dict[str, Any],
               claim: _Claim) -> str:
    """A sweep job: the variants one by one, each within its time limit (the request's,
    at most the server's TRASA_JOB_TIME_LIMIT_S) and hearing the cancel signal. Each row
    is written as it comes (the job's `plan` holds the rows so far), so a cancelled
    sweep keeps them and a run given back to the queue (`JobRunner._make_room`) or cut
    short by a server stop resumes after them."""
    from api.settings import get_settings
    from api.sweep import Row, SweepIn, sweep_of
    from api.sweep_runs import monotonicity_flags, run_until

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


STOP_GRACE_S = 3.0  # a plan's run asked to stop that still runs after this is killed
TICK_S = 0.25  # the runner looks at its processes (and the queue) this often


def _worker(parent: int, conn: Connection, graph: str | None) -> None:
    """A job process: loads the search steps and the server's road network (seconds a
    job would otherwise spend before its solve), says so, then runs the one job it is
    sent (or none) and ends. It ends with the server too (`api.processes`)."""
    solver_process(parent)
    try:
        seconds = compile_steps()
        if graph is not None:
            with contextlib.suppress(GraphLoadError):  # the job will say what is wrong
                network_hash(load_graph(graph))  # kept with the graph: once a process
        conn.send(("ready", seconds))
        task = conn.recv()
    except (EOFError, OSError):  # the server stopped first
        return
    if task is not None:
        run_job(*task)


@dataclass(eq=False)
class _Process:
    """A job process: idle (loaded, waiting for a job) or running `job_id`."""

    process: BaseProcess
    conn: Connection
    job_id: str | None = None
    token: str = ""
    sweep: bool = False
    given_back: bool = False  # a sweep asked to give its process to a plan
    stop_seen: float | None = None  # when the runner first saw its run asked to stop
    forced: bool = False  # killed by the runner, its job's end written by the runner


class JobRunner:
    """Keeps up to `workers` jobs running, each in a process of its own (spawned), and
    makes their stops real.

    Not a `ProcessPoolExecutor`: a pool cannot end one of its processes without
    breaking the others, and a solve does not always hear its cancel (OR-Tools'
    insertion heuristics build a first plan of a 1,000-task day for minutes without
    looking at it). So each job gets a process the runner can kill: a plan's run asked
    to stop that still runs `STOP_GRACE_S` later is killed, a sweep's at once (a
    `DELETE`, or giving its process to a plan), and the runner writes the end of a
    cancelled one (cancelled, a sweep with the rows it wrote). Processes are started
    ahead (spawned, loaded, waiting for a job) so that a job starts at once (`_spare`).
    Every process ends with the server: killed on a clean stop, and by `api.processes`
    when the server dies."""

    def __init__(self, url: str, *, workers: int, graph: str | None) -> None:
        self.url, self.workers, self.graph = url, workers, graph
        self._context = multiprocessing.get_context("spawn")
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._procs: list[_Process] = []
        self._warmed = False
        self._thread = threading.Thread(target=self._loop, name="trasa-jobs", daemon=True)

    def start(self) -> None:
        with session_scope(self.url) as session:
            again = store.requeue_interrupted(session)
        if again:
            log.warning("%d interrupted job(s) queued again", again)
        self._thread.start()

    def wake(self) -> None:
        self._wake.set()

    def stop(self) -> None:
        """Stop claiming and end every process, solves under way included (their jobs
        stay running in the database, and a restarted server gives them to new runs):
        no process of the server outlives it."""
        self._stop.set()
        self._wake.set()
        self._thread.join(timeout=5)
        for proc in list(self._procs):
            proc.process.terminate()
        for proc in list(self._procs):
            proc.process.join(timeout=2)
            if proc.process.is_alive():
                proc.process.kill()
                proc.process.join(timeout=2)

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                self._reap()
                self._enforce()
                self._fill()
                self._spare()
            except Exception:  # the database away for a moment: try again later
                log.exception("job runner: cannot look after the jobs")
            self._wake.wait(TICK_S)
            self._wake.clear()

    def _running(self) -> list[_Process]:
        return [p for p in self._procs if p.job_id is not None]

    def _idle(self) -> list[_Process]:
        return [p for p in self._procs if p.job_id is None]

    def _spawn(self) -> None:
        # Not a daemon, which may have no processes: a plan's searches side by side.
        ours, theirs = self._context.Pipe()
        process = self._context.Process(target=_worker,
                                        args=(os.getpid(), theirs, self.graph),
                                        name="trasa-job", daemon=False)
        process.start()
        theirs.close()
        self._procs.append(_Process(process, ours))

    def _spare(self) -> None:
        """Processes loaded ahead: one per free slot, and one while every slot is busy,
        so that the next job (a plan taking a sweep's slot, or the job after one that
        ends) starts at once instead of waiting seconds for a process to load: at most
        one process more than `workers`, and that one idle."""
        wanted = max(self.workers - len(self._running()), 1)
        for _ in range(wanted - len(self._idle())):
            self._spawn()

    def _reap(self) -> None:
        for proc in list(self._procs):
            if proc.job_id is None:
                if not self._warmed and proc.conn.poll():
                    with contextlib.suppress(EOFError, OSError):
                        _, seconds = proc.conn.recv()
                        log.info("search steps compiled or loaded in %.1f s", seconds)
                        self._warmed = True
                if proc.process.is_alive():
                    continue
            elif proc.process.is_alive():
                continue
            proc.process.join()
            self._procs.remove(proc)
            proc.conn.close()
            code = proc.process.exitcode
            if proc.job_id is not None and code != 0 and not proc.forced:
                log.error("job %s: the solver process died (exit code %s)", proc.job_id, code)
                with session_scope(self.url) as session:  # no-op if the run wrote its end
                    store.finish(session, proc.job_id, proc.token, store.JobStatus.FAILED,
                                 error=f"the solver process died (exit code {code})")

    def _enforce(self) -> None:
        """A run asked to stop (cancelled, or its claim taken back) that still runs
        `STOP_GRACE_S` after the runner saw it is killed; a cancelled one's end is
        written here: cancelled, a sweep with its rows so far, a plan without a plan."""
        running = [p for p in self._running() if not p.forced]
        if not running:
            return
        with session_scope(self.url) as session:
            asked = store.stops_asked(session, {p.job_id: p.token for p in running
                                                if p.job_id is not None})
        now = time.monotonic()
        for proc in running:
            if proc.job_id not in asked:
                continue
            if proc.stop_seen is None:
                proc.stop_seen = now
            # A sweep has written every row it finished, and the variant under way gives
            # no row when stopped: killing it at once loses nothing. A plan gets the grace
            # to hand in the best plan it found.
            grace = 0.0 if proc.sweep else STOP_GRACE_S
            if now - proc.stop_seen < grace or not proc.process.is_alive():
                continue
            proc.forced = True
            proc.process.kill()
            proc.process.join(timeout=5)
            log.warning("job %s: ended by the runner, %.1f s after it was asked to stop",
                        proc.job_id, now - proc.stop_seen)
            with session_scope(self.url) as session:
                store.finish_stopped(session, proc.job_id, proc.token, note=(
                    f"the search did not stop within {STOP_GRACE_S:g} s of the cancel and "
                    "was ended; no plan"))

    def _fill(self) -> None:
        while not self._stop.is_set():
            if len(self._running()) >= self.workers:
                self._make_room()
                return
            idle = self._idle()
            if not idle:
                self._spawn()
                idle = self._idle()
            with session_scope(self.url) as session:
                claimed = store.claim_next(session)
            if claimed is None:
                return
            job_id, token, sweep = claimed
            proc = idle[0]
            try:
                proc.conn.send((self.url, job_id, token, self.graph))
            except OSError:  # the process died while idle: the job waits for the next
                with session_scope(self.url) as session:
                    store.give_back(session, job_id, token)
                proc.process.kill()
                continue
            proc.job_id, proc.token, proc.sweep = job_id, token, sweep

    def _make_room(self) -> None:
        """Every slot busy: give the process of a running sweep (the one started last)
        to each waiting plan. The sweep's run sees its claim gone within
        `CLAIM_CHECK_EVERY_S` and ends (or is ended: `_enforce`); a plan takes its slot
        (`claim_next` puts plans first)."""
        sweeps = [p for p in self._running() if p.sweep and not p.given_back]
        if not sweeps:
            return
        giving = sum(1 for p in self._running() if p.given_back)
        with session_scope(self.url) as session:
            waiting = store.plans_waiting(session) - giving
            for proc in reversed(sweeps[-waiting:] if waiting > 0 else []):
                if proc.job_id is not None and store.give_back(session, proc.job_id,
                                                               proc.token):
                    log.info("sweep %s gives its process to a waiting plan", proc.job_id)
                proc.given_back = True


def job_request(scenario: dict[str, Any], params: SolveParams) -> dict[str, Any]:
    """What a job row keeps: the whole scenario (a snapshot) and the solver parameters."""
    return {"scenario": scenario, "params": params_json(params)}
