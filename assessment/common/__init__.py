"""What every stage shares: located problems (errors), reading and writing a user's files
without losing any (files), where the bundled data lives (resources), spreading work over
the cores (parallel), the fingerprint of this cxassess's code and the compiled-template cache.

May import: nothing of cxassess.
"""
