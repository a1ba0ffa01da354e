"""Paid placements: the Threads placement audit, the exclusion-test planner and its analyser."""
