"""The domain: standard library only, no I/O.

Everything here takes dates as arguments and plain data (or any object with the right
attributes) as input, so database rows pass straight in and tests need no database.
"""
