"""`trasa users add|list|disable|enable|delete|revoke-tokens|password`: the accounts of
the HTTP API (every change audited, by the system user running the command)."""

from __future__ import annotations

import argparse
import getpass
import os

from rich.console import Console

from api.cli.common import actor, database_url

ROLES = ("coordinator", "planner", "worker")  # api.store.users.Role, which loads the database


def add_parser(sub: argparse._SubParsersAction, name: str) -> argparse.ArgumentParser:
    p = sub.add_parser(name, help="accounts of the HTTP API (changes are audited)")
    users_sub = p.add_subparsers(dest="users_command", required=True)
    add = users_sub.add_parser("add", help="add an account (e.g. the first coordinator)")
    add.add_argument("username")
    add.add_argument("--role", choices=ROLES, default="coordinator")
    add.add_argument("--worker", default=None, help="the worker id of a worker's account "
                     "(a stored worker)")
    users_sub.add_parser("list", help="the accounts, their roles and whether disabled")
    for command, text in (("disable", "disable an account: its tokens and API keys stop "
                                      "working"),
                          ("enable", "enable a disabled account"),
                          ("delete", "delete an account (the audit log keeps its entries; "
                                     "the name is not reused)"),
                          ("revoke-tokens", "end every log-in token of an account at once")):
        users_sub.add_parser(command, help=text).add_argument("username")
    reset = users_sub.add_parser("password", help="set an account's password (its tokens "
                                                  "end)")
    reset.add_argument("username")
    for q in (add, reset):
        q.add_argument("--password-env", default="TRASA_PASSWORD",
                       help="environment variable holding the password (default "
                            "TRASA_PASSWORD); asked for when it is not set")
    return p


def _password(args: argparse.Namespace) -> str:
    return os.environ.get(args.password_env) or getpass.getpass(
        f"password for {args.username}: ")


def run(console: Console, args: argparse.Namespace) -> int:
    from api.store import users
    from api.store.database import session_scope

    url = database_url()
    command, who = args.users_command, actor()
    password = _password(args) if command in ("add", "password") else ""
    with session_scope(url) as session:
        if command == "add":
            users.add_user(session, args.username, password, users.Role(args.role),
                           args.worker, actor=who)
            console.print(f"account {args.username!r} ({args.role}) added")
        elif command == "list":
            for user in users.list_users(session):
                state = " (disabled)" if user.disabled else ""
                worker = f" worker {user.worker_id}" if user.worker_id else ""
                print(f"{user.username}\t{user.role}{worker}{state}")
        elif command in ("disable", "enable"):
            users.set_disabled(session, args.username, command == "disable", actor=who)
            console.print(f"account {args.username!r} {command}d")
        elif command == "delete":
            users.delete_user(session, args.username, actor=who)
            console.print(f"account {args.username!r} deleted")
        elif command == "revoke-tokens":
            users.revoke_tokens(session, args.username, actor=who)
            console.print(f"every log-in token of {args.username!r} revoked")
        else:
            users.reset_password(session, args.username, password, actor=who)
            console.print(f"password of {args.username!r} set; its tokens revoked")
    return 0
