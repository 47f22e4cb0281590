"""`trasa links add|list|revoke`: calendar links, the subscription URLs of workers'
calendars (a link's secret is shown once, never listed)."""

from __future__ import annotations

import argparse

from rich.console import Console

from api.cli.common import actor, database_url, positive
from api.settings import get_settings


def add_parser(sub: argparse._SubParsersAction, name: str) -> argparse.ArgumentParser:
    p = sub.add_parser(name, help="calendar links: subscription URLs of workers' calendars")
    links_sub = p.add_subparsers(dest="links_command", required=True)
    link_add = links_sub.add_parser("add", help="make a link for a stored worker (the URL "
                                                "is shown once)")
    link_add.add_argument("worker")
    link_add.add_argument("--days", type=positive(int), default=None,
                          help="how long it lasts (default TRASA_CALENDAR_LINK_DAYS, 90)")
    link_add.add_argument("--base-url", default="http://127.0.0.1:8000",
                          help="the server's address as calendar apps reach it")
    link_list = links_sub.add_parser("list", help="the links (never their secrets)")
    link_list.add_argument("--worker", default=None)
    links_sub.add_parser("revoke", help="revoke a link (its feed answers 401)"
                         ).add_argument("link_id")
    return p


def run(console: Console, args: argparse.Namespace) -> int:
    from urllib.parse import quote

    from api.store import calendar_links
    from api.store.database import session_scope

    settings = get_settings()
    url = database_url()
    with session_scope(url) as session:
        if args.links_command == "add":
            row, token = calendar_links.add_link(session, args.worker, actor(),
                                                 args.days or settings.calendar_link_days)
            base = args.base_url.rstrip("/")
            console.print(f"calendar link {row.id} for {args.worker}, until "
                          f"{row.expires_at:%Y-%m-%d %H:%M} UTC (shown once):")
            print(f"{base}/calendars/{quote(args.worker, safe='')}.ics?token={token}")
        elif args.links_command == "list":
            for row in calendar_links.list_links(session, args.worker):
                state = " revoked" if row.revoked_at is not None else ""
                print(f"{row.id}\t{row.worker_id}\tby {row.created_by}\tuntil "
                      f"{row.expires_at:%Y-%m-%d %H:%M}{state}")
        else:
            calendar_links.revoke(session, args.link_id, actor())
            console.print(f"calendar link {args.link_id} revoked")
    return 0
