"""Measurements of how well the engine perceives rendered test media, runnable as modules."""
