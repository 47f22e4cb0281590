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
with the server (`api.jobs.processes`), and a server that stops ends the solves under way
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
from typing import Any

from api.jobs.processes import solver_process
from api.jobs.run import run_job
from api.services.parameters import params_json
from api.store import jobs as store
from api.store.database import session_scope
from geo.graph import GraphLoadError, load_graph
from geo.network import network_hash
from optimiser.params import SolveParams
from optimiser.sisr.warm_up import compile_steps

log = logging.getLogger(__name__)

STOP_GRACE_S = 3.0  # a plan's run asked to stop that still runs after this is killed
TICK_S = 0.25  # the runner looks at its processes (and the queue) this often


def _worker(parent: int, conn: Connection, graph: str | None) -> None:
    """A job process: loads the search steps and the server's road network (seconds a
    job would otherwise spend before its solve), says so, then runs the one job it is
    sent (or none) and ends. It ends with the server too (`api.jobs.processes`)."""
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
    Every process ends with the server: killed on a clean stop, and by `api.jobs.processes`
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


def job_request(scenario: dict[str, Any], params: SolveParams,
                packing: dict[str, Any] | None = None) -> dict[str, Any]:
    """What a job row keeps: the whole scenario (a snapshot), the solver parameters, and
    the stored packing of the days' promises when there is one (`api.store.packings`)."""
    return {"scenario": scenario, "params": params_json(params),
            **({"packing": packing} if packing is not None else {})}
