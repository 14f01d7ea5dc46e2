"""The package's parts import in one direction: the scoring core nothing else of framing; corpus
running, training and presenting the core (and themselves); only the package and the CLI all."""
import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "framing"
PARTS = ("scoring", "corpus", "training", "presenting")
ALLOWED = {"scoring": {"scoring"}, "corpus": {"scoring", "corpus"}, "training": {"scoring", "training"},
           "presenting": {"scoring", "presenting"}}


def _imports(path: Path) -> set[str]:
    """Every framing module ``path`` imports, at the top or inside functions."""
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("framing"):
            assert node.level == 0, f"{path.name} uses a relative import"
            out.add(node.module)
        elif isinstance(node, ast.Import):
            out.update(a.name for a in node.names if a.name.startswith("framing"))
    return out


def _module(path: Path) -> str:
    return ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts).removesuffix(".__init__")


MODULES = {_module(p): _imports(p) for p in PACKAGE.rglob("*.py")}


@pytest.mark.parametrize("part", PARTS)
def test_each_part_imports_only_the_parts_below_it(part):
    for module, imported in MODULES.items():
        if module.startswith(f"framing.{part}"):
            reached = {m.split(".")[1] for m in imported if m.count(".") >= 1}
            assert reached <= ALLOWED[part] | {"_version"}, f"{module} imports {sorted(imported)}"


def test_no_module_imports_the_package_itself():
    assert [m for m, imported in MODULES.items() if "framing" in imported and m != "framing"] == []


def test_there_are_no_import_cycles():
    done: set[str] = set()

    def visit(module, path):
        assert module not in path, "import cycle: " + " -> ".join([*path, module])
        if module in done:
            return
        for m in MODULES.get(module, ()):
            if m in MODULES and m != module:
                visit(m, (*path, module))
        done.add(module)

    for module in MODULES:
        visit(module, ())
