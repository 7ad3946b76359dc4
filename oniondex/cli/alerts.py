"""`oniondex alerts [--unread] [--mark-read] [--deliver]`: an analyst's alerts, unread first, with evidence."""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict

from oniondex import config
from oniondex.cli.watch import alert_line, default_analyst
from oniondex.watch import WatchStore
from oniondex.watch.delivery import DeliveryConfig, DeliveryError, deliver


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("alerts", help="your watchlist alerts, unread first")
    parser.add_argument("--analyst", default=default_analyst(), help="whose alerts (default: ONIONDEX_ANALYST or you)")
    parser.add_argument("--unread", action="store_true", help="only the unread ones")
    parser.add_argument("--mark-read", action="store_true", help="mark the alerts shown as read")
    parser.add_argument("--limit", type=int, default=100)
    parser.add_argument("--json", action="store_true", help="one JSON object per line")
    parser.add_argument("--deliver", action="store_true", help="send the deliveries still waiting (webhook, e-mail)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from web.audit import AuditLog

    paths = config.layout()
    store = WatchStore(paths.watch_db)
    try:
        if args.deliver:
            return _deliver(store)
        alerts = store.alerts(args.analyst, unread_only=args.unread, limit=args.limit)
        for alert in alerts:
            if args.json:
                print(json.dumps(asdict(alert), ensure_ascii=False))
                continue
            print(alert_line(alert))
            for name, value in (("site", alert.site), ("detail", alert.detail), ("snippet", alert.snippet)):
                if value:
                    print(f"     {name}: {_printable(value)}")
        if args.mark_read and alerts:
            store.mark_read(args.analyst, [a.id for a in alerts])
        AuditLog(paths.audit_log).write(
            args.analyst, "view_alerts", shown=len(alerts), marked_read=bool(args.mark_read), via="cli"
        )
        if not alerts and not args.json:
            print(f"no {'unread ' if args.unread else ''}alerts for {args.analyst}")
        return 0
    finally:
        store.close()


def _deliver(store: WatchStore) -> int:
    import os

    try:
        delivery = DeliveryConfig.from_settings(os.environ.get)
    except DeliveryError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if not delivery.channels:
        print("error: no delivery configured (ONIONDEX_ALERT_WEBHOOK_URL, ONIONDEX_ALERT_SMTP_HOST)", file=sys.stderr)
        return 2
    report = deliver(store, delivery, everything=True)
    for channel, sent in report.sent.items():
        print(f"{channel}: {sent} alert(s) delivered")
    for error in report.errors:
        print(f"failed (kept for later): {error}", file=sys.stderr)
    left = len(store.pending_deliveries())
    print(f"{left} deliveries still waiting")
    return 0 if not left else 1


def _printable(text: str) -> str:
    """Crawled text on a terminal: no control characters (escape sequences) reach it."""
    return "".join(ch if ch.isprintable() else " " for ch in text)
