"""TikTok Shop affiliate collaborations: target and open collaborations, samples, affiliate orders."""
