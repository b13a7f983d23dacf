"""``kgservice token create|revoke|list``: writers' bearer tokens."""

import argparse

from kgservice.auth import TokenFile, claimable_org_id
from kgservice.cli.common import add_store_options, settings_from


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("token", help="create, revoke or list writers' bearer tokens")
    actions = p.add_subparsers(dest="action", required=True, metavar="ACTION")
    create = actions.add_parser("create", help="new token for an organisation (shown once)")
    create.add_argument("--org", required=True, help="organisation IRI, {base}org/{id}")
    create.add_argument("--admin", action="store_true", help="may write any graph")
    create.set_defaults(run=run_create)
    revoke = actions.add_parser("revoke", help="revoke a token, given the token or its id")
    revoke.add_argument("token", metavar="TOKEN-OR-ID")
    revoke.set_defaults(run=run_revoke)
    listing = actions.add_parser("list", help="token ids and organisations (never the tokens)")
    listing.set_defaults(run=run_list)
    for action in (create, revoke, listing):
        add_store_options(action)


def _tokens(args: argparse.Namespace) -> TokenFile:
    return TokenFile(settings_from(args).tokens_path)


def run_create(args: argparse.Namespace) -> int:
    claimable_org_id(args.org, settings_from(args))
    record, token = _tokens(args).create(args.org, admin=args.admin)
    role = "admin" if record.admin else "writer"
    print(f"token {record.id} for {record.org} ({role}); keep it now, it is not shown again:")
    print(token)
    return 0


def run_revoke(args: argparse.Namespace) -> int:
    record = _tokens(args).revoke(args.token)
    print(f"revoked token {record.id} of {record.org}")
    return 0


def run_list(args: argparse.Namespace) -> int:
    for r in _tokens(args).records():
        print(f"{r.id}  {'admin ' if r.admin else 'writer'}  {r.created}  {r.org}")
    return 0
