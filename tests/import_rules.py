"""An allow-list contract type for import-linter: a package may import the standard library and
the modules named, nothing else. `forbidden` contracts list what may not be imported, so a new
dependency slips past them; this one fails on anything not named.

Declared in pyproject.toml (`contract_types`) and run by `lint-imports` and by
tests/test_import_contracts.py, so `pytest` alone checks the contracts.
"""

from __future__ import annotations

import sys

import grimp
from importlinter import Contract, ContractCheck, fields, output


def _within(module: str, packages: set[str]) -> bool:
    return any(module == p or module.startswith(p + ".") for p in packages)


class AllowListContract(Contract):
    """
    Configuration options:
        - source_modules:   the packages checked (their descendants too).
        - allowed_modules:  what they may import besides themselves (packages, descendants too).
        - allow_stdlib:     whether the standard library is allowed (default true).
        - ignore_imports:   "importer -> imported" pairs let through, for a known exception
                            that another change removes (an unmatched one is no error).
    """

    type_name = "allowlist"

    source_modules = fields.ListField(subfield=fields.ModuleField())
    allowed_modules = fields.ListField(subfield=fields.ModuleField(), required=False)
    allow_stdlib = fields.BooleanField(required=False, default=True)
    ignore_imports = fields.ListField(subfield=fields.StringField(), required=False)

    def check(self, graph: grimp.ImportGraph, verbose: bool) -> ContractCheck:
        sources = {m.name for m in self.source_modules}  # type: ignore[attr-defined]
        allowed = sources | {m.name for m in self.allowed_modules or []}  # type: ignore[attr-defined]
        ignored = {
            tuple(part.strip() for part in pair.split("->"))
            for pair in self.ignore_imports or []  # type: ignore[attr-defined]
        }
        checked = set(sources)
        for source in sources:
            checked |= graph.find_descendants(source)
        broken = []
        for importer in sorted(checked):
            for imported in sorted(graph.find_modules_directly_imported_by(importer)):
                top = imported.split(".")[0]
                if (
                    _within(imported, allowed)
                    or (self.allow_stdlib and top in sys.stdlib_module_names)
                    or (importer, imported) in ignored
                ):
                    continue
                details = graph.get_import_details(importer=importer, imported=imported)
                lines = ", ".join(str(d["line_number"]) for d in details)
                broken.append({"importer": importer, "imported": imported, "lines": lines})
        return ContractCheck(kept=not broken, metadata={"broken": broken})

    def render_broken_contract(self, check: ContractCheck) -> None:
        for item in check.metadata["broken"]:
            output.print_error(
                f"{item['importer']} imports {item['imported']} (l. {item['lines']}), "
                "which is not on the allow-list",
                bold=False,
            )
            output.new_line()
