"""Frameworks other tools publish, turned into bank folders: CISO Assistant libraries
(ciso) and OWASP SAMM's core model (samm), each converted to a draft (draft), checked by the
load stage like any bank, and written in one step (write).

May import: common, load, score.
"""
