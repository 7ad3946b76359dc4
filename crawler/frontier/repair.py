"""Before a resumed crawl: pages the killed run captured (WARC response + page metadata record) whose index
batch was never committed are indexed from the WARC files, so no fetched page is missing from the index."""

from __future__ import annotations

import logging
from typing import Any

from crawler.frontier.scheduler import frontier_path
from crawler.frontier.sqlite_store import stored_job_id
from oniondex.config import DataLayout, layout_of
from oniondex.evidence.archive import new_job_id
from oniondex.evidence.reindex import offline_settings, reindex
from oniondex.evidence.warcfile import warc_files
from oniondex.index import IndexUnavailable, open_index

logger = logging.getLogger(__name__)


def prepare_resume(settings: Any, overrides: dict[str, Any]) -> str:
    """Before `oniondex crawl`: the job id to write under (the unfinished crawl's, to continue it, or a new
    one), set in `settings` and `overrides`; on a resume, the index repaired first. Redis workers each
    write a job of their own (their shared frontier lives in Redis)."""
    paths = layout_of(settings)
    # The onion crawl's frontier decides (a Telegram crawl in the same process writes under the same job).
    frontier = frontier_path(paths, "onion")
    job = "" if settings.get("ONIONDEX_REDIS_URL") else stored_job_id(frontier)
    if job:
        logger.info("the crawl job %s was not finished: resuming it", job)
    job = settings.get("ONIONDEX_WARC_JOB_ID") or job or new_job_id()
    settings.set("ONIONDEX_WARC_JOB_ID", job, priority="cmdline")
    overrides["ONIONDEX_WARC_JOB_ID"] = job
    if stored_job_id(frontier) == job and settings.getbool("ONIONDEX_WARC_ENABLED"):
        repair_index(paths, job, overrides)
    return job


def repair_index(paths: DataLayout, job_id: str, overrides: dict[str, Any]) -> int:
    """Index the pages of job `job_id`'s WARC files that the index lacks; the number indexed."""
    files = [path for path in warc_files(paths.warc_dir) if path.parent.name == job_id]
    if not files:
        return 0
    try:
        index = open_index(paths.index_url)
    except IndexUnavailable as exc:
        logger.warning("index unavailable, not checked for pages the killed crawl did not index: %s", exc)
        return 0
    try:
        settings = offline_settings(overrides)
        result = reindex(paths.warc_dir, settings, files=files, wanted=lambda c: index.get(c["url"]) is None)
    finally:
        index.close()
    if result.pages:
        logger.info("resume: indexed %d pages the killed crawl had captured but not indexed", result.pages)
    return result.pages
