"""CreatorDesk: the open-source workspace for creator-led social commerce."""

__version__ = "0.1.0"
