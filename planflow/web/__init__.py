"""The web edge (`planflow serve`): FastAPI pages over the same use cases as the CLI."""
