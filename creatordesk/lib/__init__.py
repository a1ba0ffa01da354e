"""Small framework-free helpers, each module named after what it does."""
