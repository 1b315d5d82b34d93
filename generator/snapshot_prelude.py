"""Run in Pyodide by ``make_snapshot.mjs`` just before it takes the self-check's memory snapshot.

Not a module of the generator (importing it from CPython fails): the script runs this source in
Pyodide's ``__main__``, after writing the engine to ``ENGINE_FILE``, and everything it leaves in
memory is in the snapshot. The browser's worker restores the snapshot and calls
:func:`selfcheck_snapshot_resume` (from ``__main__``) once before using the engine.
"""

import gc
import linecache
import sys
import traceback  # noqa: F401  (Pyodide formats Python errors with it; a restore can import nothing)

ENGINE_DIR = "/home/pyodide/selfcheck"
ENGINE_FILE = f"{ENGINE_DIR}/scoring.py"
"""Where the worker writes the engine when it boots without the snapshot: the same path, so
tracebacks through the engine read the same lines either way."""

sys.path.insert(0, ENGINE_DIR)
import scoring  # noqa: E402, F401  (imported so the snapshot holds it)

with open(ENGINE_FILE, encoding="utf-8", newline="") as engine_file:
    SELFCHECK_ENGINE_SOURCE = engine_file.read()
"""The engine's source as the page ships it (newlines untouched), to recognise it after a restore."""


def selfcheck_snapshot_resume(engine_source: str) -> bool:
    """Run once after a restore. True if the restored engine is the one the page shipped.

    The restore mounts an empty stdlib zip: forget the full zip's cached directory so any later
    import fails with ModuleNotFoundError instead of reading the wrong archive."""
    import zipimport

    zipimport._zip_directory_cache.clear()
    sys.path_importer_cache.clear()
    linecache.clearcache()
    return engine_source == SELFCHECK_ENGINE_SOURCE


gc.collect()
