"""Bundled data (see oniondex.bundled): this file makes the folder an importable package, nothing more."""
