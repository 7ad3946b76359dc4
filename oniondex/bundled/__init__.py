"""The data folders that ship inside the package: site profiles, Elasticsearch mappings, the sample seeds.

They are edited where they sit in the repository (`profiles/`, `index_mappings/`, `seeds/`); packaging
(setup.py's `package_dir`) installs each one as a subpackage of this one, so `bundled(name)` finds it the same
way in a checkout, an editable install and a plain `pip install .`.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

FOLDERS = ("profiles", "index_mappings", "seeds")


def bundled(folder: str) -> Path:
    """The installed copy of one bundled folder (one of FOLDERS)."""
    if folder not in FOLDERS:
        raise ValueError(f"no bundled folder {folder!r}: there are {', '.join(FOLDERS)}")
    return Path(str(files(f"{__name__}.{folder}")))
