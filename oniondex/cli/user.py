"""`oniondex user add NAME`: analyst accounts for the web UI (`oniondex user list` names them).

The password is read from a prompt (asked twice), or from standard input with `--password-stdin`
(its first line), never from the command line, where other users could see it.
"""

from __future__ import annotations

import argparse
import getpass
import sys

from oniondex import config


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("user", help="manage analyst accounts for the web UI")
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    add = actions.add_parser("add", help="create an account")
    add.add_argument("name")
    add.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    actions.add_parser("list", help="list the accounts")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from web.accounts import AccountError, AccountStore

    store = AccountStore(config.layout().accounts_db)
    if args.action == "list":
        for name in store.names():
            print(name)
        return 0
    password = _read_password(args.password_stdin)
    if password is None:
        print("error: the two passwords differ", file=sys.stderr)
        return 1
    try:
        store.add(args.name, password)
    except AccountError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"added {args.name} ({store.path})")
    return 0


def _read_password(from_stdin: bool) -> str | None:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("password: ")
    return first if getpass.getpass("again: ") == first else None
