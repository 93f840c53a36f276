"""Build stage: rendered pages to a site on disk. The output folder's safety rules (outdir),
MkDocs or Zensical per site with the cache of unchanged sites and the atomic swap (site,
engines) and the live preview (serve). The one place that writes a site; the report file
(PDF or Word) is built here too, from the same rendered pages (report_document, report_pdf,
report_docx).

May import: common, load, score, render, speedups.
"""
