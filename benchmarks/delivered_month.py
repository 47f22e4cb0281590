"""A month of demo days with simulated actuals: the monthly report on delivered service
and the PES settlement tried on something like a real month.

The demo weekday and Saturday (`data/scenarios/starachowice_day.json`,
`starachowice_saturday.json`) are each planned once (on the generated street grid, a
solution-count budget: the same plans on any machine), then copied onto every day of the
month (the weekday's plan Monday to Friday, holidays included; the Saturday's on Saturdays
and Sundays), each copy's task ids suffixed with its day (`visit-03@2026-11-05`). Actuals
are then simulated with a seed: most tasks done, starting a few minutes off the plan and
lasting 80–130 % of it (whole minutes), some absent, some not done, some started and
never finished, some never confirmed.

    python -m benchmarks.delivered_month [--month 2026-11] [--seed 7] [--out month/]

writes one `plan-YYYY-MM-DD.json` a day, `actuals.csv` (task_id,outcome,start,end,reason)
and `rates.toml` (a price list) into `--out`, and prints the `trasa report` and
`trasa settlement` commands to run on them.
"""

from __future__ import annotations

import argparse
import copy
import csv
import json
import random
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from api.convert.scenario import parse_scenario
from api.render.report import month_days
from api.render.report_documents import read_plan
from api.services.planning import plan_scenario
from optimiser.actuals import Actual, Outcome
from optimiser.params import SolveParams

SCENARIOS = Path(__file__).resolve().parents[1] / "data" / "scenarios"
DEMO_DAYS = ("starachowice_day.json", "starachowice_saturday.json")
SHARES = {"absent": 0.05, "not_done": 0.03, "started": 0.02, "unconfirmed": 0.06}
RATES_TOML = """\
[rates]
per_hour = { cus = 55.0 }

[rates.per_service_hour.pes-rehab.physiotherapy]
weekday = 80.0
evening = 90.0
night = 110.0
weekend_holiday = 120.0

[rates.per_service_hour.pes-fix.handyman]
weekday = 60.0
evening = 70.0
night = 90.0
weekend_holiday = 95.0

[rates.per_service_hour.pes-transport.transport]
weekday = 30.0
weekend_holiday = 40.0

[rates.per_ride]
pes-transport = 18.0
"""


def demo_day_plans(max_solutions: int = 5) -> tuple[dict[str, Any], dict[str, Any]]:
    """The plan documents of the demo weekday and Saturday (the generated street grid)."""
    documents = []
    for name in DEMO_DAYS:
        raw = json.loads((SCENARIOS / name).read_text(encoding="utf-8"))
        raw["network"] = {k: v for k, v in raw["network"].items() if k != "source"}
        planned = plan_scenario(parse_scenario(raw), base_dir=SCENARIOS,
                                params=SolveParams(time_limit_s=300,
                                                   max_solutions=max_solutions, seed=0))
        documents.append(planned.document())
    return documents[0], documents[1]


def month_of_plans(weekday: dict[str, Any], saturday: dict[str, Any],
                   month: str) -> list[tuple[str, dict[str, Any]]]:
    """One plan document a day of `month`: copies of the weekday's plan Monday to Friday and
    of the Saturday's on Saturdays and Sundays, as (file name, document)."""
    first, last = month_days(month)
    plans = []
    for k in range((last - first).days + 1):
        day = first + timedelta(days=k)
        model = saturday if day.weekday() >= 5 else weekday
        plans.append((f"plan-{day.isoformat()}.json", moved(model, day)))
    return plans


def moved(document: dict[str, Any], day: date) -> dict[str, Any]:
    """A one-day plan document copied onto `day`: its times at the same local clock, its
    task ids suffixed `@day` (a task id is one task, once)."""
    zone = ZoneInfo(document["timezone"])
    shift = day - date.fromisoformat(document["date"])

    def walk(value: Any, key: str = "") -> Any:
        if isinstance(value, dict):
            return {k: walk(v, k) for k, v in value.items()}
        if isinstance(value, list):
            return [walk(v, key) for v in value]
        if not isinstance(value, str):
            return value
        if key == "task":
            return f"{value}@{day.isoformat()}"
        if key in ("date", "day"):
            return (date.fromisoformat(value) + shift).isoformat()
        if key in ("start", "end", "arrival"):
            local = datetime.fromisoformat(value).astimezone(zone)
            return datetime.combine(local.date() + shift, local.timetz().replace(
                tzinfo=None), tzinfo=zone).isoformat()
        return value

    result: dict[str, Any] = walk(copy.deepcopy(document))
    return result


def simulate_actuals(plans: Sequence[tuple[str, dict[str, Any]]], seed: int,
                     shares: dict[str, float] | None = None) -> dict[str, Actual]:
    """What happened to each task of `plans`, drawn with `seed` (see the module docstring):
    times in whole minutes; an unconfirmed task has no actual at all."""
    rng = random.Random(seed)
    shares = shares or SHARES
    actuals: dict[str, Actual] = {}
    for name, document in plans:
        for route in read_plan(name, document).routes:
            for interval in route.intervals:
                draw = rng.random()
                start = _minute(interval.start) + timedelta(minutes=rng.randint(-5, 10))
                minutes = max(1, round(interval.seconds / 60 * rng.uniform(0.8, 1.3)))
                outcome = _outcome(draw, shares)
                if outcome is Outcome.UNCONFIRMED:
                    continue
                task = interval.task
                if outcome is Outcome.DONE:
                    actuals[task] = Actual(task, outcome, start,
                                           start + timedelta(minutes=minutes))
                elif outcome is Outcome.STARTED:
                    actuals[task] = Actual(task, outcome, start)
                else:
                    reason = "" if outcome is Outcome.ABSENT else "client refused"
                    actuals[task] = Actual(task, outcome, None, None, reason)
    return actuals


def _outcome(draw: float, shares: dict[str, float]) -> Outcome:
    bound = 0.0
    for name, share in shares.items():
        bound += share
        if draw < bound:
            return Outcome(name)
    return Outcome.DONE


def _minute(moment: datetime) -> datetime:
    return moment.replace(second=0, microsecond=0)


def write_actuals_csv(actuals: dict[str, Actual], path: Path) -> None:
    """The actuals as `trasa report --actuals` and `trasa settlement --actuals` read them."""
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["task_id", "outcome", "start", "end", "reason"])
        for actual in actuals.values():
            writer.writerow([actual.task_id, actual.outcome.value,
                             actual.start.isoformat() if actual.start else "",
                             actual.end.isoformat() if actual.end else "", actual.reason])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--month", default="2026-11")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path, default=Path("delivered-month"))
    args = parser.parse_args(argv)
    plans = month_of_plans(*demo_day_plans(), args.month)
    args.out.mkdir(parents=True, exist_ok=True)
    for name, document in plans:
        (args.out / name).write_text(json.dumps(document, ensure_ascii=False),
                                     encoding="utf-8")
    actuals = simulate_actuals(plans, args.seed)
    write_actuals_csv(actuals, args.out / "actuals.csv")
    (args.out / "rates.toml").write_text(RATES_TOML, encoding="utf-8")
    out = args.out
    print(f"delivered_month: days={len(plans)} actuals={len(actuals)} out={out}")
    print(f"trasa report {out}/plan-*.json --month {args.month} --actuals {out}/actuals.csv "
          f"--out {out}/report")
    print(f"trasa settlement {args.month} {out}/plan-*.json --provider pes-rehab "
          f"--actuals {out}/actuals.csv --rates {out}/rates.toml --out {out}/settlement")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
