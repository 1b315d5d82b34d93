"""Run every benchmark script in this folder (``make benchmark``), one after another.

Each script prints its own figures; extra arguments are passed to every script.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> int:
    failed = []
    for script in sorted(HERE.glob("*.py")):
        if script.name == Path(__file__).name or script.name.startswith("_"):
            continue
        print(f"\n## {script.name}\n", flush=True)
        if subprocess.run([sys.executable, str(script), *sys.argv[1:]], cwd=HERE.parent).returncode != 0:
            failed.append(script.name)
    if failed:
        print(f"benchmarks failed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
