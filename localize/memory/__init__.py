"""The translation memory: reviewed entries of the PO files and imported TMX, its SQLite index."""
