"""One job's run in its own process (`run_job`): reads the job's scenario, solves it (a
plan, a re-plan or a sweep's variants), and writes progress and the checked plan, its
reading, or the sweep's rows back under its claim; a run that lost its claim (its server
restarted it elsewhere, or it was asked to stop) writes nothing more. The processes
themselves and the queue's fairness: `api.jobs.runner`."""


from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import Any

from api.convert.plan_document import PlanDocumentError
from api.convert.scenario import ScenarioError, parse_scenario
from api.services.parameters import params_of
from api.services.planning import plan_scenario, prepare
from api.services.reading import material_or_none
from api.store import jobs as store
from api.store.database import session_scope
from geo.graph import GraphLoadError
from optimiser.check import PlanRejected
from optimiser.params import Progress, SolveParams
from optimiser.replan import ReplanError

log = logging.getLogger(__name__)

CLAIM_CHECK_EVERY_S = 0.5  # a run looks at its claim and the cancel flag this often
PROGRESS_EVERY_S = 1.0  # ... and writes its progress at most this often


class _Claim:
    """The cancel signal of a run: set when the job is to stop or the run lost its claim
    (a run whose server is gone ends with it: `api.jobs.processes`)."""

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
    found = [0]  # improving solutions so far (each call is one), for the page's progress

    def on_progress(p: Progress) -> None:
        found[0] += 1
        now = time.monotonic()
        if now - last_write[0] < PROGRESS_EVERY_S:
            return
        last_write[0] = now
        with session_scope(url) as session:
            store.record_progress(session, job_id, token, {
                "elapsed_s": round(p.elapsed_s, 1), "served": p.served, "tasks": p.tasks,
                "objective": p.objective, "solutions": found[0]})

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
                                    on_progress=on_progress, cancel=claim,
                                    packing=request.get("packing"))
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
    from api.convert.events import parse_events
    from api.services.replanning import replan_document

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
    from api.schemas.sweep_row import Row
    from api.services.sweep import SweepIn, sweep_of
    from api.services.sweep_runs import monotonicity_flags, run_until
    from api.settings import get_settings

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
