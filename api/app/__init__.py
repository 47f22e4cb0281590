"""The HTTP app (FastAPI): routers per resource, dependencies, problem-details errors."""
