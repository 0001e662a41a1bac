"""scripts/rows_snapshot.py: the before/after check for changes that must not change a row."""
import importlib.util
import json
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _script():
    spec = importlib.util.spec_from_file_location("rows_snapshot", ROOT / "scripts" / "rows_snapshot.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_snapshots_compare_equal_and_a_changed_row_is_reported(tmp_path, capsys):
    plans = tmp_path / "plans"
    plans.mkdir()
    for p in sorted((ROOT / "raw_docs").glob("*.txt"))[3:5]:
        shutil.copy(p, plans / p.name)
    script = _script()
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    assert script.main(["take", str(a), str(plans)]) == 0
    assert script.main(["take", str(b), str(plans)]) == 0
    snap = json.loads(a.read_text(encoding="utf-8"))
    # two plans, each upper- and lower-cased, and the two joined
    assert len(snap) == 2 + 4 + 1
    assert script.main(["compare", str(a), str(b)]) == 0
    assert capsys.readouterr().out.strip().endswith("identical")
    doc = next(name for name in snap if name.startswith("003_") and name.endswith(".txt") and "." not in name[:-4])
    snap[doc]["rows"]["targets"][0]["value"] = 1.0
    b.write_text(json.dumps(snap, ensure_ascii=False), encoding="utf-8")
    assert script.main(["compare", str(a), str(b)]) == 1
    out = capsys.readouterr().out
    assert f"{doc} targets" in out and "value:" in out and "1 differences" in out
