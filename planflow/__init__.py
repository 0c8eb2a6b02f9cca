"""planflow: task tracking for a commune's annual administrative-reform (CCHC) plan."""

__version__ = "0.1.0"
