"""`trasa offer`: the best few windows for a new request (docs/offers.md), as a coordinator
on the phone gets them from `POST /offers`.

Against a scenario file and its promises (`trasa offer scenario.json request.json
[--plan plan.json]`: the plan is the basis, else the promises alone), or against the
stored records of a day (`trasa offer --day 2026-12-08 request.json`, the database of
`trasa serve` or `--database`: the day's published plan, else its latest draft, else
its promises). Prints the offers as a table, or JSON with `--json`; with the database,
`--accept N` stores offer N with its promise (audited as `cli:<user>`)."""

from __future__ import annotations

import argparse
import json
import secrets
from datetime import date
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from api.cli.common import UsageError, actor, graph_option, mapping, positive, read_json
from api.render.words import cli_gettext


def add_parser(sub: argparse._SubParsersAction, name: str) -> argparse.ArgumentParser:
    p = sub.add_parser(name, help="offer windows for a new request (a visit, job, series, "
                                  "trip) that keep every promise")
    p.add_argument("files", type=Path, nargs="+", metavar="FILE",
                   help="SCENARIO REQUEST (a scenario file and an offer request), or "
                        "REQUEST alone with --day")
    p.add_argument("--plan", type=Path, default=None,
                   help="with a scenario: the plan the offers work against (default: the "
                        "scenario's promises alone)")
    p.add_argument("--day", type=date.fromisoformat, default=None,
                   help="offer against the stored records of this day (YYYY-MM-DD; the "
                        "request's first_day is set to it)")
    p.add_argument("--database", default=None,
                   help="the database URL (default: the one `trasa serve` uses)")
    p.add_argument("--accept", type=positive(int), default=None, metavar="N",
                   help="with --day: accept offer N (1 = the first) and store it")
    p.add_argument("--json", action="store_true", help="print the offers as JSON")
    graph_option(p, of_plan=False)
    return p


def run(console: Console, args: argparse.Namespace) -> int:
    from api.schemas.offers import OfferRequest

    if args.day is None and len(args.files) != 2:
        raise UsageError("FILE: give SCENARIO REQUEST, or REQUEST with --day")
    if args.day is not None and len(args.files) != 1:
        raise UsageError("FILE: with --day give only the REQUEST file")
    if args.accept is not None and args.day is None:
        raise UsageError("--accept: offers are accepted into the stored records (--day)")
    raw = mapping(read_json(args.files[-1], "offer request"))
    if args.day is not None:
        raw = {**raw, "first_day": args.day.isoformat()}
    request = OfferRequest.model_validate(raw)
    answer = (_from_scenario(args, request) if args.day is None
              else _from_records(console, args, request))
    if answer is None:
        return 0
    _print(console, answer, args.json)
    return 0 if answer["offers"] else 1


def _from_scenario(args: argparse.Namespace, request: Any) -> dict[str, Any]:
    from api.convert.offer_request import new_ids, with_request
    from api.convert.scenario import read_scenario
    from api.schemas.offers import OffersAnswer
    from api.services.offer_problem import Basis, basis_plan, day_search
    from api.services.offers import STEP_S, keeping, offer_out, why_none
    from api.services.planning import prepare
    from api.settings import get_settings
    from optimiser.offers import OfferSettings, find_offers

    scenario = read_scenario(args.files[0])
    base = f"offer-{secrets.token_hex(4)}"
    if request.new_client is not None:
        client_id = f"client-{base.removeprefix('offer-')}"
    elif request.client not in {c.id for c in scenario.clients}:
        raise UsageError(f"client: {request.client!r} is not a client of the scenario")
    else:
        client_id = str(request.client)
    home = None
    if request.new_client is not None:
        from api.schemas.records import Place
        c = request.new_client
        home = Place(name=c.address, lat=c.lat, lon=c.lon)
    full = with_request(scenario, request, base, client_id,
                        client_name=request.new_client.name if request.new_client else "",
                        home=home)
    problem = prepare(full, base_dir=args.files[0].parent, graph=args.graph).problem
    document = None if args.plan is None else mapping(read_json(args.plan, "plan file"))
    basis = Basis("promises" if document is None else "draft", None, document)
    settings = get_settings()
    wanted = OfferSettings(count=request.count or settings.offer_count,
                           window_s=(request.window_min or settings.offer_window_min) * 60,
                           step_s=STEP_S)
    preferred = None
    if request.preferred_time is not None:
        h, m = (int(x) for x in request.preferred_time.split(":"))
        preferred = problem.calendar.at(request.first_day, h, m)
    start, ids = basis_plan(problem, basis), tuple(new_ids(request, base))
    found = find_offers(problem, start, ids, wanted,
                        preferred_worker=request.preferred_worker, preferred_start_s=preferred,
                        planner=day_search)
    offers = [offer_out(problem, request, base, client_id, basis.kind, k + 1, o, True,
                        settings) for k, o in enumerate(keeping(problem, found))]
    return OffersAnswer(basis=basis.kind, client=client_id,  # type: ignore[arg-type]
                        offers=offers, **({} if offers else why_none(problem, start, ids))
                        ).model_dump(mode="json")


def _from_records(console: Console, args: argparse.Namespace, request: Any
                  ) -> dict[str, Any] | None:
    from api.cli.common import database_url
    from api.services.offers import SlotTaken, accept, find
    from api.settings import get_settings
    from api.store.database import migrate, session_scope

    settings = get_settings()
    url = args.database or database_url()
    if args.database is not None:
        migrate(url)
    with session_scope(url) as session:
        answer = find(session, settings, request, names=True)
    if args.accept is None:
        return answer.model_dump(mode="json")
    if args.accept > len(answer.offers):
        raise UsageError(f"--accept: {args.accept} is more than the {len(answer.offers)} "
                         "offers found")
    offer = answer.offers[args.accept - 1]
    try:
        with session_scope(url) as session:
            accept(session, settings, offer.token, actor(), names=True)
    except SlotTaken as exc:
        console.print(str(exc))
        return exc.fresh.model_dump(mode="json")
    console.print(cli_gettext("offer {n} accepted: stored with its promise").format(
        n=args.accept))
    _print(console, {"basis": answer.basis, "offers": [offer.model_dump(mode="json")]},
           args.json)
    return None


def _print(console: Console, answer: dict[str, Any], as_json: bool) -> None:
    if as_json:
        print(json.dumps(answer, ensure_ascii=False, indent=2))
        return
    table = Table(title=cli_gettext("offers (basis: {basis})").format(basis=answer["basis"]))
    for header in (cli_gettext("offer"), cli_gettext("day"), cli_gettext("windows"),
                   cli_gettext("worker"), cli_gettext("vehicle"),
                   cli_gettext("added travel (min)")):
        table.add_column(header)
    for o in answer["offers"]:
        windows = ", ".join(f"{w['task']} {w['start']}–{w['end']}" for w in o["windows"])
        worker = o["worker"] + (f" ({o['worker_name']})" if o.get("worker_name") else "")
        table.add_row(str(o["rank"]), o["day"], windows, worker, o.get("vehicle") or "",
                      str(o["added_travel_min"]))
    console.print(table)
    if not answer["offers"]:
        console.print(cli_gettext("no window keeps every promise; try other wishes or days"))
        if answer.get("why"):
            console.print(answer["why"])
