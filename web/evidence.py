"""Evidence exports from the desk: `/evidence/export?kind=…&value=…` shows the form, a POST of it answers
with the case folder `oniondex evidence export` writes (WARC, STIX 2.1 or MISP, with its manifest) as one
zip (unzip it and `oniondex evidence verify` checks it). A POST because an export is a state change of
the audit trail: the form carries the CSRF token, and every export, refusal and failure is audited."""

from __future__ import annotations

import shutil
import tempfile
import zipfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import FileResponse, HTMLResponse, Response
from starlette.background import BackgroundTask

from oniondex.evidence.errors import EvidenceError
from oniondex.evidence.export import FORMATS, Selection, export
from oniondex.evidence.history import HISTORY_FILE, HistoryStore
from oniondex.evidence.manifest import MANIFEST, file_sha256
from web.desk import Desk, current_user, get_desk
from web.security import csrf_ok, form_expired
from web.templating import templates

router = APIRouter(dependencies=[Depends(current_user)])
DeskDep = Annotated[Desk, Depends(get_desk)]
UserDep = Annotated[str, Depends(current_user)]
KINDS = ("url", "site", "entity")


@router.get("/evidence/export", response_class=HTMLResponse, include_in_schema=False)
def export_form(request: Request, user: UserDep, kind: str = "url", value: str = "") -> Response:
    return _form(request, user, kind, value, "warc")


def _form(request: Request, user: str, kind: str, value: str, fmt: str, error: str = "", status: int = 200) -> Response:
    context: dict[str, Any] = {
        "user": user, "kinds": KINDS, "formats": FORMATS, "form": {"kind": kind, "value": value, "format": fmt},
        "error": error,
    }  # fmt: skip
    return templates.TemplateResponse(request, "evidence_export.html", context, status_code=status)


@router.post("/evidence/export", include_in_schema=False)
def export_case(
    request: Request,
    desk: DeskDep,
    user: UserDep,
    kind: Annotated[str, Form()] = "",
    value: Annotated[str, Form()] = "",
    format: Annotated[str, Form()] = "warc",
    csrf: Annotated[str, Form()] = "",
) -> Response:
    query = {"kind": kind, "value": value, "format": format, "via": "html"}
    if not csrf_ok(request.state.csrf, csrf):
        desk.audit.write(user, "evidence_export_refused", reason="csrf", **query)
        return form_expired()
    problem = _problem(kind, value.strip(), format)
    if problem:
        desk.audit.write(user, "evidence_export_failed", error=problem, **query)
        return _form(request, user, kind, value, format, error=problem, status=400)
    work = Path(tempfile.mkdtemp(prefix="oniondex-export-"))
    try:
        manifest = _export(desk, Selection(kind, _value(kind, value)), work / "case", format)
        archive = _zip(work / "case", work / "case.zip")
    except EvidenceError as exc:
        shutil.rmtree(work, ignore_errors=True)
        desk.audit.write(user, "evidence_export_failed", error=exc.reason, **query)
        return _form(request, user, kind, value, format, error=exc.reason, status=404)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    desk.audit.write(
        user, "evidence_export", captures=len(manifest["captures"]), urls=len(manifest["urls"]),
        manifest_sha256=file_sha256(work / "case" / MANIFEST), zip_sha256=file_sha256(archive), **query,
    )  # fmt: skip
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    return FileResponse(
        archive,
        media_type="application/zip",
        filename=f"oniondex-evidence-{kind}-{format}-{stamp}.zip",
        background=BackgroundTask(shutil.rmtree, work, ignore_errors=True),
    )


def _problem(kind: str, value: str, fmt: str) -> str:
    if kind not in KINDS:
        return f"unknown selection {kind!r}: one of {', '.join(KINDS)}"
    if fmt not in FORMATS:
        return f"unknown export format {fmt!r}: one of {', '.join(FORMATS)}"
    if not value:
        return f"an export of a {kind} needs its value"
    return ""


def _value(kind: str, value: str) -> str:
    """As the command line takes it: a site is its host, lower-case, however it was pasted."""
    value = value.strip()
    if kind == "site":
        return value.lower().removeprefix("http://").split("/")[0]
    return value


def _export(desk: Desk, selection: Selection, out: Path, fmt: str) -> dict[str, Any]:
    history = HistoryStore(desk.layout.warc_dir / HISTORY_FILE)
    try:
        command = ["web", f"--{selection.kind}", selection.value, "--format", fmt]
        return export(
            selection, out, desk.layout.warc_dir, history, desk.layout.index_url, command,
            fmt=fmt, vendor_db=desk.layout.vendor_db,
        )  # fmt: skip
    finally:
        history.close()


def _zip(folder: Path, target: Path) -> Path:
    with zipfile.ZipFile(target, "x", compression=zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.iterdir()):
            archive.write(path, f"{folder.name}/{path.name}")
    return target
