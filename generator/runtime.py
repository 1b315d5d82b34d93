"""Which Pyodide runtime files the site ships, and where. Kept apart so the plugin does not need
to know how the runtime is prepared (precompiled standard library, precompressed copies)."""

from __future__ import annotations

from pathlib import Path

from .pyodide_runtime import prepare_runtime


def runtime_cache(pyodide_dir: Path) -> Path:
    """The precompiled runtime is cached beside the ``node_modules`` that holds Pyodide, so every
    build of one checkout (including test builds from temporary folders) shares one cache."""
    return pyodide_dir.resolve().parent.parent / ".cache" / "pyodide-runtime"


def runtime_files(pyodide_dir: Path, engine: Path | None = None) -> dict[str, Path]:
    """Destination URI under :data:`urls.PYODIDE_DIR` → file: the Pyodide runtime with a standard
    library precompiled by Pyodide's own interpreter, plus ``.br``/``.gz`` copies for servers that
    send them, and (given the scoring ``engine``) the memory snapshot at :data:`urls.SNAPSHOT`."""
    return prepare_runtime(pyodide_dir, runtime_cache(pyodide_dir), engine=engine)
