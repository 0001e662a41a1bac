"""Strip outputs, execution counts and run metadata from notebooks, so git holds only their sources.

    python scripts/strip_notebooks.py            # every notebooks/*.ipynb, in place
    python scripts/strip_notebooks.py --check    # exit 1 if any notebook has outputs (for CI or a hook)
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
RUN_METADATA = ("execution", "collapsed", "scrolled", "ExecuteTime")


def strip(nb) -> bool:
    """Strip in place; True when something was removed."""
    changed = False
    for cell in nb.cells:
        for key in RUN_METADATA:
            if key in cell.metadata:
                del cell.metadata[key]
                changed = True
        if cell.cell_type == "code":
            if cell.outputs or cell.execution_count is not None:
                changed = True
            cell.outputs = []
            cell.execution_count = None
    # keep the language name only: versions differ from one machine to the next
    info = nb.metadata.get("language_info")
    if info is not None and set(info) != {"name"}:
        nb.metadata["language_info"] = {"name": info.get("name", "python")}
        changed = True
    for key in ("widgets", "varInspector"):
        if key in nb.metadata:
            del nb.metadata[key]
            changed = True
    return changed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", type=Path, help="notebooks (default: notebooks/*.ipynb)")
    parser.add_argument("--check", action="store_true", help="only report notebooks that need stripping")
    args = parser.parse_args(argv)
    paths = args.paths or sorted((ROOT / "notebooks").glob("*.ipynb"))
    dirty = []
    for path in paths:
        nb = nbformat.read(path, as_version=4)
        if strip(nb):
            dirty.append(path)
            if not args.check:
                nbformat.write(nb, path)
    for path in dirty:
        print(f"{'has outputs' if args.check else 'stripped'}: {path}")
    return 1 if (args.check and dirty) else 0


if __name__ == "__main__":
    sys.exit(main())
