"""Load stage: YAML read safely with positions (yamlio), the file formats as pydantic models
(models), the structure layer (structure) and the cross-reference layer (crossref), banks
(bank, loader, bank_store), answers files and surveys (loader, survey) and whole projects
(project). Everything is checked here and every problem reported at once; nothing is scored.

May import: common.
"""
