"""Worker processes that end with the process that started them.

A `ProcessPoolExecutor` worker waits for work on a queue whose write end every worker
also holds, so when the server is killed (or stops while a worker is idle) its
workers never see the queue close and wait for ever, orphans holding memory. Pass
`exit_with_parent` as the pool's initializer: each worker then leaves (within
`POLL_S`) once its parent is gone. A solve cut short this way loses nothing: its job
is still marked running and a restarted server queues it again.
"""

from __future__ import annotations

import os
import threading
import time

from api import log_privacy

POLL_S = 1.0


def exit_with_parent() -> None:
    """Pool initializer: watch the parent from a daemon thread, exit when it is gone."""
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(POLL_S)
        os._exit(1)

    threading.Thread(target=watch, name="exit-with-parent", daemon=True).start()


def solver_process() -> None:
    """The solver pool's initializer: the process ends with its parent, and its log
    lines (a failed job's traceback) carry no personal data (api/log_privacy.py).
    Importing this module costs next to nothing, so an idle process is up at once."""
    exit_with_parent()
    log_privacy.install()
