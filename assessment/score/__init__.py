"""Score stage, pure functions from loaded inputs to frozen results: scores by group
(scoring), readiness, the roadmap, several respondents combined, trends over rounds, the
portfolio, CX metrics from surveys and objectives against them; workspace scores a loaded
project for the pages.

May import: common, load.
"""
