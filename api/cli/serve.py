"""`trasa serve`: the HTTP API (FastAPI on uvicorn); `--demo` first loads the demo
weekday's records and a coordinator account into an empty database."""

from __future__ import annotations

import argparse
import secrets

from rich.console import Console

from api.convert.scenario import read_scenario
from api.settings import get_settings
from data import demo_scenario_path

DEMO_USER = "koordynator"


def add_parser(sub: argparse._SubParsersAction, name: str) -> argparse.ArgumentParser:
    p = sub.add_parser(name, help="start the HTTP API (FastAPI on uvicorn)")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--demo", action="store_true",
                   help="load the Starachowice demo weekday's records into an empty "
                        "database and print how to log in (the Saturday and the "
                        "week: `trasa import`)")
    return p


def run(console: Console, args: argparse.Namespace) -> int:
    import uvicorn  # the server's libraries load only for `serve`

    from api.app.main import create_app

    if args.demo:
        load_demo(args)
    uvicorn.run(create_app(get_settings()), host=args.host, port=args.port,
                log_level=get_settings().log_level.lower())
    return 0


def load_demo(args: argparse.Namespace) -> None:
    """The demo day's records and a coordinator account, unless the database has records."""
    from api.schemas.records import records_from_scenario
    from api.store import records
    from api.store.database import migrate, session_scope, shown
    from api.store.tables import User
    from api.store.users import Role, add_user

    url = get_settings().database()
    migrate(url)
    scenario = read_scenario(demo_scenario_path("weekday"))
    with session_scope(url) as session:
        if not records.all_resources(session, records.KINDS["providers"]):
            records.create_records(session, records_from_scenario(scenario))
        password = None
        if session.get(User, DEMO_USER) is None:
            password = secrets.token_urlsafe(9)
            add_user(session, DEMO_USER, password, Role.COORDINATOR)
    base = f"http://{args.host}:{args.port}"
    print(f"Trasa demo: {scenario.name} ({scenario.date}) loaded into {shown(url)}")
    if password is not None:
        print(f"log in as {DEMO_USER!r} with password {password!r} (shown once):")
        print(f"  curl -s -d 'username={DEMO_USER}&password={password}' {base}/auth/token")
    print(f"API documentation: {base}/docs", flush=True)
