"""oniondex: crawl Tor onion sites, extract what investigators pivot on, index it for search."""

__version__ = "0.1.0"
