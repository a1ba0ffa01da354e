"""Early viral detection: forecast a video's later views from its first polls and flag breakouts.

Framework-free (no Django): the web app and `creatordesk viral-eval` call it the same way.
"""

from creatordesk.performance.viral.model import Breakout, EarlyViewsModel, Forecast, TooEarlyError
from creatordesk.performance.viral.series import VideoSeries, cumulative_at

__all__ = ["Breakout", "EarlyViewsModel", "Forecast", "TooEarlyError", "VideoSeries", "cumulative_at"]
