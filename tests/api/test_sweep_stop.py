"""`trasa sweep` stopped by Ctrl-C: it ends within seconds, says how many variants are
done, keeps exactly their rows, and leaves no process behind."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path

from data.generate_cusday import build_cusday
from tests.security.leftovers import MARK, marked

STOPS_WITHIN_S = 15


def test_ctrl_c_stops_a_sweep_keeping_the_rows_done(
        tmp_path: Path, shared_file: Callable[[str], Path]) -> None:
    graph = shared_file("osm/Chelm_map.graphml")
    day = tmp_path / "day.json"
    day.write_text(json.dumps(build_cusday(graph, tasks=60, seed=3)), encoding="utf-8")
    out = tmp_path / "out"
    mark = uuid.uuid4().hex
    sweep = subprocess.Popen(
        [sys.executable, "-m", "api.cli.main", "sweep", str(day), "--vary",
         "workers.cus-00=1..3", "--max-solutions", "2000", "--jobs", "1", "--out", str(out)],
        env={**os.environ, MARK: mark}, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while len(marked(mark)) < 2 and time.monotonic() < deadline:
        time.sleep(0.1)  # the sweep's pool process started ...
    time.sleep(8)  # ... and is searching a variant
    sweep.send_signal(signal.SIGINT)
    asked = time.monotonic()
    output, _ = sweep.communicate(timeout=60)
    took = time.monotonic() - asked
    text = output.decode(errors="replace")
    assert sweep.returncode == 130, text
    assert took < STOPS_WITHIN_S, (took, text)
    done = int(text.split("stopped: ", 1)[1].split(" of 3", 1)[0])
    rows = (out / "rows.jsonl").read_text(encoding="utf-8").splitlines() \
        if (out / "rows.jsonl").exists() else []
    assert len(rows) == done < 3
    time.sleep(2)
    assert not marked(mark), marked(mark)
