"""localize: English news articles to reviewed Arabic editions."""

__version__ = "0.1.0"
