"""Saved fuzz cases: every crash the fuzzer finds is written to tests/fuzz/regressions/ and replayed by
tests/fuzz/test_regressions.py, so a fixed crash stays fixed. One JSON file per case, named by its hash."""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

REGRESSIONS = Path(__file__).resolve().parent / "regressions"


def save(target: str, note: str, **inputs: Any) -> Path:
    fields = {k: ({"base64": base64.b64encode(v).decode()} if isinstance(v, bytes) else v) for k, v in inputs.items()}
    data = json.dumps({"target": target, "note": note, **fields}, ensure_ascii=True, indent=1, sort_keys=True)
    path = REGRESSIONS / f"{target}-{hashlib.sha256(data.encode()).hexdigest()[:12]}.json"
    REGRESSIONS.mkdir(exist_ok=True)
    path.write_text(data + "\n", encoding="utf-8")
    return path


def load(path: Path) -> tuple[str, dict[str, Any]]:
    data = json.loads(path.read_text(encoding="utf-8"))
    inputs = {
        k: base64.b64decode(v["base64"]) if isinstance(v, dict) else v
        for k, v in data.items()
        if k not in ("target", "note")
    }
    return data["target"], inputs


def replay(path: Path, targets: dict[str, Callable[..., None]]) -> None:
    target, inputs = load(path)
    targets[target](**inputs)
