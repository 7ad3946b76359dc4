"""Where discovered channels and onion sites go: `DATA/discovered.txt`, a seed list (tags=discovered, the
case of the seed that led there, a note naming the page or post that named it), one line per name, kept
across crawls. An investigator reviews it and crawls it like any seed file: `oniondex crawl DATA/discovered.txt`.
"""

from __future__ import annotations

from pathlib import Path

from oniondex.seeds import load_seeds
from oniondex.telegram.usernames import preview_url


class DiscoveredList:
    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.known = (
            {seed.channel or seed.site for seed in load_seeds(self.path).seeds} if self.path.exists() else set()
        )

    def add_channel(self, name: str, source: str, case: str = "") -> bool:
        """Record a channel; False if it was already listed."""
        return self._add(name, preview_url(name), source, case)

    def add_site(self, onion: str, source: str, case: str = "") -> bool:
        return self._add(onion, f"http://{onion}/", source, case)

    def _add(self, key: str, url: str, source: str, case: str) -> bool:
        if key in self.known:
            return False
        self.known.add(key)
        case_field = f"  case={case}" if case else ""
        source = " ".join(source.split())  # a note runs to the end of its line
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.path.open("a", encoding="utf-8") as out:
            if out.tell() == 0:
                out.write("# Channels and onion sites discovered by crawls (oniondex crawl DATA/discovered.txt)\n")
            out.write(f"{url}  tags=discovered{case_field}  note=named on {source}\n")
        return True
