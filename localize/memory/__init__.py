"""The translation memory: reviewed entries of the PO files and imported TMX, its SQLite index."""


def load_memory(folder: str, warn=None):
    """The memory of a translations folder: reviewed entries of every PO under it
    (sorted by path), then the TMX files imported into ``<folder>/tm``, through the
    index the folder keeps (``memory.index``): only changed files are read again.  ``warn(line)``
    hears of each file that cannot be used."""
    from localize.memory.index import MemoryIndex

    return MemoryIndex(folder, warn)
