"""Crawl like a careful member: URLs and methods a crawl never sends (logout, buy, delete, withdraw,
messages, settings; any method but GET/HEAD). Rules are data: `oniondex/data/member_rules.yaml` plus a
user's file."""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from urllib.parse import urlsplit

import yaml


@dataclass(frozen=True)
class MemberRules:
    deny_path: tuple[re.Pattern[str], ...]
    allow_methods: frozenset[str]

    def refusal(self, method: str, url: str) -> str:
        """Why this request must not be sent ('' when it may)."""
        if method.upper() not in self.allow_methods:
            return f"method {method.upper()} (only {', '.join(sorted(self.allow_methods))})"
        parts = urlsplit(url)
        target = (parts.path + ("?" + parts.query if parts.query else "")).lower()
        for pattern in self.deny_path:
            if pattern.search(target):
                return f"denied path ({pattern.pattern})"
        return ""


def load_member_rules(extra: str | Path | None = None) -> MemberRules:
    texts = [resources.files("oniondex.data").joinpath("member_rules.yaml").read_text(encoding="utf-8")]
    if extra:
        texts.append(Path(extra).read_text(encoding="utf-8"))
    patterns: list[re.Pattern[str]] = []
    methods: set[str] | None = None
    for text in texts:
        data = yaml.safe_load(text) or {}
        try:
            patterns.extend(re.compile(p) for p in data.get("deny_path", ()))
        except re.error as exc:
            raise ValueError(f"member rules: bad deny_path pattern: {exc}") from exc
        listed = {m.upper() for m in data.get("allow_methods", ())}
        # A user's file can only narrow the methods a crawl sends, never add one.
        methods = listed if methods is None else methods & listed if listed else methods
    return MemberRules(tuple(patterns), frozenset(methods or ()))
