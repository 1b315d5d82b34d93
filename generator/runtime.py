"""Which Pyodide runtime files the site ships, and where. Kept apart so the file list can change
(e.g. to a precompiled standard library) without touching the plugin."""

from __future__ import annotations

from pathlib import Path

RUNTIME_URI = "assets/pyodide/"
RUNTIME_FILES = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip", "pyodide-lock.json")
"""What ``loadPyodide()`` fetches for a stdlib-only engine; no package wheels are needed."""


def runtime_files(pyodide_dir: Path) -> dict[str, Path]:
    """Destination URI under ``assets/pyodide/`` → source file in the npm package."""
    return {RUNTIME_URI + name: pyodide_dir / name for name in RUNTIME_FILES}
