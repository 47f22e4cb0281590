"""Where a read's time went: py-spy samples of the server while `benchmarks.load` reads.

`record` samples every thread of the server process (idle ones too, so waiting for the
database's write lock or a free thread counts) for the steady phase and keeps py-spy's
raw collapsed stacks beside the summary; `summarise` keeps the samples of threads that
were serving a request and tells their share by step (the checks of a log-in, the
database, the audit log, turning the answer into JSON, ...) and by function."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path


def raw_of(out: Path) -> Path:
    return out.with_name(out.name + ".raw")


def record(pid: int, seconds: int, out: Path) -> None:
    beside = Path(sys.executable).with_name("py-spy")
    spy = str(beside) if beside.exists() else shutil.which("py-spy")
    if spy is None:
        raise SystemExit("--profile needs py-spy (pip install py-spy: the bench extra)")
    raw = raw_of(out)
    subprocess.run([spy, "record", "--pid", str(pid), "--duration", str(seconds),
                    "--rate", "200", "--format", "raw", "--idle", "--threads",
                    "--nonblocking", "--output", str(raw)], check=True,
                   capture_output=True)


# A sample's step: the first rule, in this order, any frame of which contains the text.
STEPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("audit log: rows of clients read", ("api/store/audit.py", "audited (", "_audit (")),
    ("log-in: token and account", ("current_user (",)),
    ("session end: commit, close", ("_end (api/app/deps.py",)),
    ("planner's view", ("for_reader (", "scenario_of_plan (")),
    ("plan version and document", ("api/store/plans.py",)),
    ("client records", ("api/store/records.py", "ClientResource")),
    ("commit in the route", ("Session.commit (",)),
    ("database connection: open, pragmas", ("_sqlite_pragmas (", "DefaultDialect.connect (")),
    ("route's own work", ("api/app/routers/",)),
    ("answer: validation, JSON", ("serialize_response (", "jsonable_encoder (",
                                  "dump_json (", "JSONResponse.render (")),
    ("routing, dependencies, middleware", ("fastapi/", "starlette/", "api/app/")),
    ("HTTP: uvicorn, sockets", ("uvicorn/", "h11/", "asyncio/selector_events.py")),
)
IDLE = ("Queue.get (queue.py", "EpollSelector.select (")  # a thread waiting for work
IDLE_LOOP = "Runner.run (asyncio/runners.py"  # the event loop in C (uvloop's, or select)


def _samples(raw: Path) -> list[tuple[list[str], int]]:
    """(frames root first, count) of the threads serving requests, busy or blocked."""
    kept = []
    for line in raw.read_text(encoding="utf-8").splitlines():
        stack, _, count = line.rpartition(" ")
        frames = stack.split(";")
        thread = frames[0]
        if not ("AnyIO worker" in thread or "MainThread" in thread):
            continue  # the job runner's thread and the like
        if any(idle in frame for frame in frames for idle in IDLE) \
                or frames[-1].startswith(IDLE_LOOP):
            continue
        if len(frames) > 1:
            kept.append((frames[1:], int(count)))
    return kept


def _function(frame: str) -> str:
    """`name (file.py:12)` -> `file.py:name`."""
    name, _, where = frame.partition(" (")
    return f"{where.rsplit(':', 1)[0]}:{name}"


def summarise(raw: Path, *, requests: int, seconds: int, top: int = 15) -> str:
    """The request threads' samples by step, by project function and by leaf; `requests`
    served in `seconds` turn shares into milliseconds per request."""
    samples = _samples(raw)
    total = sum(n for _, n in samples) or 1
    per_request_ms = total / 200 * 1000 / max(requests, 1)  # 200 samples a second
    steps: Counter[str] = Counter()
    inclusive: Counter[str] = Counter()
    leaves: Counter[str] = Counter()
    for frames, n in samples:
        step = next((label for label, marks in STEPS
                     if any(m in f for f in frames for m in marks)), "other")
        steps[step] += n
        for name in {_function(f) for f in frames if " (api/" in f and "api/cli/" not in f}:
            inclusive[name] += n
        leaves[_function(frames[-1])] += n
    lines = [f"# py-spy: {total} samples of request threads over {seconds} s "
             f"(200 a second, blocked ones too), {requests} requests: "
             f"{per_request_ms:.1f} ms of thread time a request"]

    def table(title: str, counts: Counter[str]) -> None:
        lines.append(f"\n{title:<60} {'share':>6} {'ms/req':>7}")
        for name, n in counts.most_common(top):
            lines.append(f"{name[-60:]:<60} {n / total:>6.1%} "
                         f"{n / total * per_request_ms:>7.2f}")

    table("step", steps)
    table("project function (inclusive)", inclusive)
    table("where the thread was (leaf)", leaves)
    return "\n".join(lines) + "\n"
