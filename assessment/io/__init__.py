"""Files for people and other tools: answers files written (answers, template), spreadsheets
out and back in (xlsx, xlsx_layout, xlsx_export, xlsx_import), JSON and CSV exports (export,
serialize).

May import: common, load, score.
"""
