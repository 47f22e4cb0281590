"""Worker processes that end with the process that started them.

A `ProcessPoolExecutor` worker waits for work on a queue whose write end every worker
also holds, so when the server is killed (or stops while a worker is idle) its
workers never see the queue close and wait for ever, orphans holding memory. Pass
`exit_with_parent` as the pool's initializer with the parent's own pid as its
argument (`pool_options()` does both): each worker then leaves once its parent is gone.

Why the pid comes from the parent: a worker that read `os.getppid()` itself would,
when the parent died between spawning it and its initializer (a replacement worker
the pool starts just as the server is killed), read the pid of init or a subreaper
and watch that for ever. The parent's pid, fixed when the pool is made, is never
wrong. On Linux the worker also asks the kernel for SIGKILL when its parent dies
(`PR_SET_PDEATHSIG`): immediate, and it needs no thread; the kernel sends it when the
*thread* that spawned the worker ends, which for a pool is its own manager thread or
the thread submitting work, both of which end only as the pool or the server does.
The poll (every `POLL_S`) stays as the fallback on other systems and covers the
moment before the signal was asked for. A solve cut short this way loses nothing: its
job is still marked running and a restarted server queues it again.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import sys
import threading
import time
from typing import Any

from api.app import log_privacy

POLL_S = 1.0
PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


def _ask_kernel_to_kill_with_parent() -> None:
    if not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):  # no prctl: the poll alone
        pass


def exit_with_parent(parent: int | None = None, *also: Any) -> None:
    """Pool initializer: end this process when `parent` (the pid of the process that made
    the pool; default the current parent) is gone. `also` are initializers of its own
    with their arguments: `(function, arg, ...)`."""
    if parent is None:
        parent = os.getppid()
    _ask_kernel_to_kill_with_parent()
    if os.getppid() != parent:  # the parent died before the signal was asked for
        os._exit(1)

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(POLL_S)
        os._exit(1)

    threading.Thread(target=watch, name="exit-with-parent", daemon=True).start()
    if also:
        also[0](*also[1:])


def pool_options(*also: Any) -> dict[str, Any]:
    """`initializer` and `initargs` of a pool whose workers end with this process; `also`
    as in `exit_with_parent`."""
    return {"initializer": exit_with_parent, "initargs": (os.getpid(), *also)}


def end_pool_processes(pool: Any) -> None:
    """Terminate a stopped `ProcessPoolExecutor`'s workers (a solve under way included):
    `shutdown(wait=False)` alone leaves them running until their task ends. Reads the
    executor's `_processes`, the only place it keeps them."""
    for process in list((getattr(pool, "_processes", None) or {}).values()):
        with contextlib.suppress(OSError, ValueError, AttributeError):  # already gone
            process.terminate()


JOB_NICENESS = 10  # a job's CPU priority below the server's (`nice`: 0 .. 19)


def solver_process(parent: int | None = None) -> None:
    """How a job's process begins: it ends with `parent` (the server), it runs at a lower
    CPU priority than the server (`JOB_NICENESS`: a search uses a whole core for its
    seconds, and the phones' presses and the pages must not wait behind it), and its log
    lines (a failed job's traceback) carry no personal data (api/app/log_privacy.py).
    Importing this module costs next to nothing, so an idle process is up at once."""
    exit_with_parent(parent)
    with contextlib.suppress(OSError):  # a system without `nice` runs it as it is
        os.nice(JOB_NICENESS)
    log_privacy.install()
