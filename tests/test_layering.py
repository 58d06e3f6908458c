"""Which app may import which: the clocks (sla) know nothing of tickets' apps, and the ticket's own
domain (models, services, selectors, policy) knows nothing of the apps built on tickets — those
subscribe (complaints.signals) or call in. Read from the source, every import, at any depth."""
import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUILT_ON_TICKETS = {"risk", "reports", "outages", "knowledge", "phrases"}
RULES = [  # (files, apps they must not import)
    ("sla", {"complaints", "notifications"} | BUILT_ON_TICKETS),
    ("complaints/models.py", BUILT_ON_TICKETS | {"notifications"}),
    ("complaints/services", BUILT_ON_TICKETS),
    ("complaints/selectors.py", BUILT_ON_TICKETS),
    ("complaints/policy.py", BUILT_ON_TICKETS),
    ("complaints/permissions.py", BUILT_ON_TICKETS),
]


def sources(where: str):
    path = ROOT / where
    files = [path] if path.suffix == ".py" else path.rglob("*.py")
    return [f for f in files if "tests" not in f.parts and "migrations" not in f.parts]


def imported_apps(file: Path) -> dict[str, int]:
    """top-level package → line of its first import in the file."""
    found = {}
    for node in ast.walk(ast.parse(file.read_text())):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        elif isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        else:
            continue
        for name in names:
            found.setdefault(name.split(".")[0], node.lineno)
    return found


def test_no_import_against_the_layering():
    wrong = []
    for where, forbidden in RULES:
        for file in sources(where):
            for app, line in imported_apps(file).items():
                if app in forbidden:
                    wrong.append(f"{file.relative_to(ROOT)}:{line} imports {app}")
    assert wrong == []


def test_the_rules_see_the_files():
    """A rule that matches no file would pass for nothing."""
    assert all(sources(where) for where, _ in RULES)
    assert "accounts" in imported_apps(ROOT / "sla" / "models.py")


def local_imports(file: Path) -> list[int]:
    return [node.lineno for fn in ast.walk(ast.parse(file.read_text()))
            if isinstance(fn, ast.FunctionDef | ast.AsyncFunctionDef)
            for node in ast.walk(fn) if isinstance(node, ast.Import | ast.ImportFrom)]


def test_no_import_hidden_in_a_function_to_dodge_a_cycle():
    """Outside `AppConfig.ready` (models are not loaded before it) every import is at the top."""
    hidden = [f"{file.relative_to(ROOT)}:{line}"
              for where in ("sla", "complaints/services", "complaints/selectors.py", "complaints/views",
                            "complaints/api", "notifications", "risk", "reports", "outages/services.py")
              for file in sources(where) if file.name != "apps.py"
              for line in local_imports(file)]
    assert hidden == []
