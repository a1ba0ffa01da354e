"""The pipeline steps, one module each; `pipeline.STEPS` lists them in report order."""
