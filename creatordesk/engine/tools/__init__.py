"""Thin wrappers around the external tools the engine runs (ffmpeg, ffprobe, tesseract)."""
