"""The AI-visuals checker: provenance, labelling duty per channel, quality and brand fit of one image.

Framework-free like the rest of the engine: the web app and `creatordesk visual-check` call
`check.check_image` the same way, with a frozen `VisualContext`.
"""
