"""Locust users of `benchmarks.load`: workers reading their day, coordinators the plan.

Settings come from the environment `benchmarks.load` sets: TRASA_LOAD_DAY,
TRASA_LOAD_WORKER, TRASA_LOAD_PLAN, TRASA_LOAD_WORKER_TOKEN, TRASA_LOAD_COORDINATOR_TOKEN.
"""

from __future__ import annotations

import os

from locust import HttpUser, between, task

DAY = os.environ.get("TRASA_LOAD_DAY", "")
WORKER = os.environ.get("TRASA_LOAD_WORKER", "")
PLAN = os.environ.get("TRASA_LOAD_PLAN", "")


class Reader(HttpUser):
    wait_time = between(0.1, 0.5)

    @task(3)
    def worker_day(self) -> None:
        self.client.get(f"/days/{DAY}/workers/{WORKER}", name="GET /days/{day}/workers/{id}",
                        headers={"Authorization": "Bearer "
                                 + os.environ.get("TRASA_LOAD_WORKER_TOKEN", "")})

    @task(1)
    def coordinator_plan(self) -> None:
        self.client.get(f"/plans/{PLAN}", name="GET /plans/{id}",
                        headers={"Authorization": "Bearer "
                                 + os.environ.get("TRASA_LOAD_COORDINATOR_TOKEN", "")})
