"""`trasa clients export|erase`: people's rights (RODO): everything held about a client
as JSON (art. 15), or a client's personal data erased, statistics and the audit log
kept (art. 17)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from rich.console import Console

from api.cli.common import UsageError, actor, database_url
from api.settings import get_settings


def add_parser(sub: argparse._SubParsersAction, name: str) -> argparse.ArgumentParser:
    p = sub.add_parser(name, help="people's rights (RODO): export what is held about a "
                                  "client, erase a client")
    clients_sub = p.add_subparsers(dest="clients_command", required=True)
    export = clients_sub.add_parser("export", help="everything held about a client, as "
                                                   "JSON (art. 15)")
    export.add_argument("client_id")
    export.add_argument("--out", type=Path, default=None, help="file to write (default: "
                                                               "print)")
    clients_sub.add_parser("erase", help="erase a client's personal data; statistics and "
                                         "the audit log stay (art. 17)"
                           ).add_argument("client_id")
    return p


def run(console: Console, args: argparse.Namespace) -> int:
    from api.store import client_rights
    from api.store.database import session_scope

    url = database_url()
    with session_scope(url) as session:
        if args.clients_command == "export":
            held = client_rights.export_client(session, args.client_id, actor())
            text = json.dumps(held, ensure_ascii=False, indent=1) + "\n"
            if args.out is None:
                sys.stdout.write(text)
            else:
                try:
                    args.out.write_text(text, encoding="utf-8")
                except OSError as exc:
                    raise UsageError(f"--out: cannot write {str(args.out)!r}: "
                                     f"{exc.strerror or exc}") from None
                console.print(f"everything held about {args.client_id} written to {args.out}")
        else:
            done = client_rights.erase_client(session, args.client_id, actor(),
                                              today=get_settings().day_today())
            console.print(f"client {args.client_id} erased: {done['tasks']} task(s), "
                          f"{done['plans']} plan(s), {done['jobs']} job(s) cleaned; "
                          "statistics and the audit log kept")
    return 0
