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

POLL_S = 1.0


def exit_with_parent() -> None:
    """Pool initializer: watch the parent from a daemon thread, exit when it is gone."""
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(POLL_S)
        os._exit(1)

    threading.Thread(target=watch, name="exit-with-parent", daemon=True).start()
