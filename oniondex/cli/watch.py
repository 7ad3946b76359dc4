"""`oniondex watch add KIND VALUE | list | remove ID`: an analyst's watchlist (oniondex/watch/).

KIND is an entity type (btc, xmr, eth, ltc, pgp, telegram, phone, onion, email, session, threema, wickr…),
`entity` or `handle` (the type found from the value), `vendor`, `query` (the search box's language), `page`
(a URL: changed, gone, back) or `site` (an onion: front page changed, site gone, back). A new watch reports
where the index has already seen it (retro-hunt) as alerts of kind `retro`.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys

from oniondex import config
from oniondex.index import Index, IndexError_, open_index
from oniondex.watch import WatchStore, WatchValueError
from oniondex.watch.adding import add_watch
from oniondex.watch.delivery import DeliveryConfig, DeliveryError, deliver_due
from oniondex.watch.records import Alert, Watch
from web.audit import AuditLog

KINDS_HELP = "btc|xmr|eth|…|pgp|telegram|phone|onion|email|entity|handle|vendor|query|page|site"


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("watch", help="watchlists: alerts when a value, vendor, query or page turns up")
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    add = actions.add_parser("add", help="watch a value (reports past sightings at once)")
    add.add_argument("kind", metavar="KIND", help=KINDS_HELP)
    add.add_argument("value", help="the address, key, handle, vendor name, query text, page URL or onion")
    add.add_argument("--label", default="", help="a note of your own")
    add.add_argument("--no-retro", action="store_true", help="do not search the index for past sightings")
    listing = actions.add_parser("list", help="your watches")
    listing.add_argument("--all-analysts", action="store_true", help="every analyst's watches")
    remove = actions.add_parser("remove", help="stop watching (the alerts stay)")
    remove.add_argument("id", type=int)
    for sub in (add, listing, remove):
        sub.add_argument(
            "--analyst", default=default_analyst(), help="whose watchlist (default: ONIONDEX_ANALYST or you)"
        )
    parser.set_defaults(func=run)


def default_analyst() -> str:
    return os.environ.get("ONIONDEX_ANALYST") or getpass.getuser()


def run(args: argparse.Namespace) -> int:
    paths = config.layout()
    store = WatchStore(paths.watch_db)
    audit = AuditLog(paths.audit_log)
    try:
        if args.action == "list":
            watches = store.watches(None if args.all_analysts else args.analyst)
            for watch in watches:
                print(watch_line(watch))
            if not watches:
                print(f"no watches for {args.analyst} in {store.path}")
            return 0
        if args.action == "remove":
            removed = store.remove_watch(args.id, args.analyst)
            audit.write(args.analyst, "watch_remove", watch=args.id, removed=removed, via="cli")
            print(f"removed watch {args.id}" if removed else f"error: {args.analyst} has no watch {args.id}")
            return 0 if removed else 1
        return _add(args, store, audit, paths)
    finally:
        store.close()


def _add(args: argparse.Namespace, store: WatchStore, audit: AuditLog, paths: config.DataLayout) -> int:
    try:
        delivery = DeliveryConfig.from_settings(os.environ.get)
    except DeliveryError as exc:
        print(f"warning: alerts are stored but not delivered: {exc}", file=sys.stderr)
        delivery = None
    query = None
    if args.kind.lower() == "query":
        from web.query import QueryError, parse

        try:
            query = parse(args.value).query
        except QueryError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
    index = None if args.no_retro else _index(paths)

    def audited(alert: Alert) -> None:
        audit.write(
            alert.analyst, "alert", alert_id=alert.id, kind=alert.kind, value=alert.value, url=alert.url, via="cli"
        )

    try:
        added = add_watch(
            store, index, args.analyst, args.kind, args.value, query=query, label=args.label,
            channels=delivery.channels if delivery else (), notify=audited,
        )  # fmt: skip
    except WatchValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    finally:
        if index is not None:
            index.close()
    watch = added.watch
    audit.write(args.analyst, "watch_add", watch=watch.id, kind=watch.kind, value=watch.value, new=added.new, via="cli")
    print(("added " if added.new else "already watched: ") + watch_line(watch))
    for alert in added.past:
        print("  " + alert_line(alert))
    if added.new and index is not None:
        print(f"  {len(added.past)} past sighting(s) in the index")
    if delivery is not None and added.past:
        for error in deliver_due(store, delivery).errors:
            print(f"warning: delivery failed (kept for `oniondex alerts --deliver`): {error}", file=sys.stderr)
    return 0


def _index(paths: config.DataLayout) -> Index | None:
    if not paths.index_is_remote and not os.path.exists(paths.index_url):
        return None  # nothing crawled yet: nothing to retro-hunt
    try:
        return open_index(paths.index_url)
    except IndexError_ as exc:
        print(f"warning: no retro-hunt, the index is unavailable: {exc}", file=sys.stderr)
        return None


def watch_line(watch: Watch) -> str:
    what = watch.entity_type or watch.kind
    label = f"  ({watch.label})" if watch.label and watch.label != watch.value else ""
    return f"{watch.id:>4}  {watch.analyst}  {what:<9} {watch.value}{label}  since {watch.created_at}"


def alert_line(alert: Alert) -> str:
    mark = " " if alert.read else "*"
    where = alert.url or alert.site
    capture = f"  capture {alert.capture}" if alert.capture else ""
    when = alert.seen_at or alert.created_at
    return f"{mark}#{alert.id} {when}  {alert.kind:<8} {alert.watch_kind} {alert.value}  {where}{capture}"
