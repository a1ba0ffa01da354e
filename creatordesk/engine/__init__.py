"""Framework-free media and rules engine: turns a creator video into time-coded findings.

Nothing in this package imports Django; the web app and the CLI call it the same way.
"""
