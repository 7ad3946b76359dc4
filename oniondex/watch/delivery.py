"""Delivering alerts: a webhook (JSON POST signed with HMAC-SHA256 of the body under a shared secret) and
e-mail over SMTP (STARTTLS optional). Targets are loopback addresses, or hosts named in
ONIONDEX_ALERT_ALLOWED_HOSTS: nothing else is ever contacted (a webhook redirect is not followed, proxy
variables of the environment are ignored). A delivery that fails stays in the store and is tried again,
later and later (ONIONDEX_ALERT_BACKOFF doubling, at most ONIONDEX_ALERT_MAX_BACKOFF).

Verify a webhook: `hmac.compare_digest(header, "sha256=" + hmac.new(secret, body, "sha256").hexdigest())`
over the raw body, header `X-Oniondex-Signature`.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import json
import re
import smtplib
import ssl
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from email.message import EmailMessage
from typing import Any
from urllib.parse import urlsplit

import httpx

from oniondex.watch.records import Alert
from oniondex.watch.store import WatchStore, now

SIGNATURE_HEADER = "X-Oniondex-Signature"
BATCH = 100  # alerts per webhook POST or e-mail
_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]")


class DeliveryError(ValueError):
    """A delivery setting that cannot be used; the message names the setting."""


@dataclass(frozen=True)
class DeliveryConfig:
    webhook_url: str = ""
    webhook_secret: str = ""
    smtp_host: str = ""
    smtp_port: int = 25
    smtp_from: str = ""
    smtp_to: tuple[str, ...] = ()
    smtp_starttls: bool = False
    smtp_user: str = ""
    smtp_password: str = field(default="", repr=False)
    allowed_hosts: tuple[str, ...] = ()
    timeout: float = 10.0
    tries: int = 3  # tries per delivery run before a failure is left for a later run
    backoff: float = 2.0
    max_backoff: float = 3600.0

    @property
    def channels(self) -> tuple[str, ...]:
        return (("webhook",) if self.webhook_url else ()) + (("email",) if self.smtp_host else ())

    @classmethod
    def from_settings(cls, get: Callable[[str], Any]) -> DeliveryConfig:
        """From Scrapy settings' or the environment's `get` (the same ONIONDEX_ALERT_* names); checked."""

        def text(name: str) -> str:
            return str(get(f"ONIONDEX_ALERT_{name}") or "").strip()

        def listed(name: str) -> tuple[str, ...]:
            raw = get(f"ONIONDEX_ALERT_{name}") or ()
            items = raw.split(",") if isinstance(raw, str) else raw
            return tuple(i.strip() for i in items if i.strip())

        def number(name: str, default: float) -> float:
            try:
                return float(text(name) or default)
            except ValueError:
                raise DeliveryError(f"ONIONDEX_ALERT_{name}={text(name)!r}: give a number") from None

        config = cls(
            webhook_url=text("WEBHOOK_URL"),
            webhook_secret=text("WEBHOOK_SECRET"),
            smtp_host=text("SMTP_HOST"),
            smtp_port=int(number("SMTP_PORT", 25)),
            smtp_from=text("SMTP_FROM") or "oniondex@localhost",
            smtp_to=listed("SMTP_TO"),
            smtp_starttls=text("SMTP_STARTTLS").lower() in ("1", "true", "yes", "on"),
            smtp_user=text("SMTP_USER"),
            smtp_password=text("SMTP_PASSWORD"),
            allowed_hosts=tuple(h.lower() for h in listed("ALLOWED_HOSTS")),
            timeout=number("TIMEOUT", 10.0),
            tries=max(1, int(number("TRIES", 3))),
            backoff=number("BACKOFF", 2.0),
            max_backoff=number("MAX_BACKOFF", 3600.0),
        )
        config.check()
        return config

    def check(self) -> None:
        if self.webhook_url:
            parts = urlsplit(self.webhook_url)
            if parts.scheme not in ("http", "https") or not parts.hostname:
                raise DeliveryError(f"ONIONDEX_ALERT_WEBHOOK_URL={self.webhook_url!r}: give an http(s) URL")
            self._allowed("ONIONDEX_ALERT_WEBHOOK_URL", parts.hostname)
            if not self.webhook_secret:
                raise DeliveryError("ONIONDEX_ALERT_WEBHOOK_URL needs ONIONDEX_ALERT_WEBHOOK_SECRET to sign with")
        if self.smtp_host:
            self._allowed("ONIONDEX_ALERT_SMTP_HOST", self.smtp_host)
            if not self.smtp_to:
                raise DeliveryError(
                    "ONIONDEX_ALERT_SMTP_HOST needs ONIONDEX_ALERT_SMTP_TO (addresses, comma-separated)"
                )

    def _allowed(self, setting: str, host: str) -> None:
        if not is_allowed_target(host, self.allowed_hosts):
            raise DeliveryError(
                f"{setting}: {host!r} is neither a loopback address nor in ONIONDEX_ALERT_ALLOWED_HOSTS; "
                "alerts go only to hosts named there"
            )


def is_allowed_target(host: str, allowed: tuple[str, ...] = ()) -> bool:
    name = host.strip("[]").lower()
    if name == "localhost" or name in allowed:
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def signature(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def alert_json(alert: Alert) -> dict[str, Any]:
    return asdict(alert)


def webhook_body(alerts: list[Alert]) -> bytes:
    payload = {"source": "oniondex", "sent_at": now(), "alerts": [alert_json(a) for a in alerts]}
    return json.dumps(payload, ensure_ascii=False, sort_keys=True).encode("utf-8")


def send_webhook(config: DeliveryConfig, alerts: list[Alert]) -> None:
    body = webhook_body(alerts)
    headers = {"content-type": "application/json", SIGNATURE_HEADER: signature(config.webhook_secret, body)}
    with httpx.Client(trust_env=False, follow_redirects=False, timeout=config.timeout) as client:
        answer = client.post(config.webhook_url, content=body, headers=headers)
    if not 200 <= answer.status_code < 300:
        raise OSError(f"webhook answered HTTP {answer.status_code}")


def email_message(config: DeliveryConfig, alerts: list[Alert]) -> EmailMessage:
    message = EmailMessage()
    message["From"] = config.smtp_from
    message["To"] = ", ".join(config.smtp_to)
    first = _one_line(alerts[0].summary)[:150]
    message["Subject"] = f"[oniondex] {len(alerts)} alert(s): {first}"
    lines = []
    for alert in alerts:
        lines += [
            f"#{alert.id} {alert.kind} for {alert.analyst}: {alert.watch_kind} {alert.value}",
            f"  page:    {alert.url or '-'}",
            f"  site:    {alert.site or '-'}",
            f"  capture: {alert.capture or '-'} at {alert.seen_at or '-'}",
            f"  detail:  {_one_line(alert.detail)}",
            f"  snippet: {_one_line(alert.snippet)}",
            "",
        ]
    message.set_content("\n".join(lines))
    return message


def send_email(config: DeliveryConfig, alerts: list[Alert]) -> None:
    with smtplib.SMTP(config.smtp_host, config.smtp_port, timeout=config.timeout) as smtp:
        if config.smtp_starttls:
            smtp.starttls(context=ssl.create_default_context())
        if config.smtp_user:
            smtp.login(config.smtp_user, config.smtp_password)
        smtp.send_message(email_message(config, alerts))


SENDERS: dict[str, Callable[[DeliveryConfig, list[Alert]], None]] = {"webhook": send_webhook, "email": send_email}


@dataclass
class DeliveryReport:
    sent: dict[str, int] = field(default_factory=dict)  # channel → alerts delivered
    errors: list[str] = field(default_factory=list)


def deliver_due(
    store: WatchStore, config: DeliveryConfig, report: DeliveryReport | None = None, everything: bool = False
) -> DeliveryReport:
    """One pass: every delivery that is due (`everything`: waiting at all), by channel, in batches; failures
    are kept for later."""
    report = report or DeliveryReport()
    at = "9999" if everything else None  # later than any ISO time
    for channel in config.channels:
        while batch := store.due_deliveries(channel, BATCH, at):
            ids = [a.id for a in batch]
            try:
                SENDERS[channel](config, batch)
            except (OSError, smtplib.SMTPException, httpx.HTTPError) as exc:
                store.failed(channel, ids, f"{type(exc).__name__}: {exc}", config.backoff, config.max_backoff)
                report.errors.append(f"{channel}: {type(exc).__name__}: {exc}")
                break
            store.delivered(channel, ids)
            report.sent[channel] = report.sent.get(channel, 0) + len(ids)
    return report


def deliver(
    store: WatchStore, config: DeliveryConfig, sleep: Callable[[float], None] = time.sleep, everything: bool = False
) -> DeliveryReport:
    """Up to `config.tries` passes, waiting out the backoff between them; what still fails waits in the store.
    `everything` starts with the deliveries not yet due too (an analyst asking to send now)."""
    report = DeliveryReport()
    for attempt in range(config.tries):
        failures = len(report.errors)
        deliver_due(store, config, report, everything=everything and attempt == 0)
        if len(report.errors) == failures or attempt == config.tries - 1:
            break
        sleep(min(config.max_backoff, config.backoff * 2**attempt) + 1)  # next_try has one-second resolution
    return report


def _one_line(text: str) -> str:
    return _CONTROL_RE.sub(" ", text)
