"""Render stage: scored workspaces to Markdown pages per language from the Jinja2 templates
(pages, view), charts as inline SVG (charts), the one escape for user text (escape), nh3 over
HTML blocks (sanitise), the keys of what each site is rendered from (keys) and the score
table the command line prints (table). Nothing is written to disk here.

May import: common, load, score, speedups.
"""
