"""Use cases: take a session and dates, combine engine decisions with writes.

The CLI and the scheduler both call these, so both run the same code.
"""
