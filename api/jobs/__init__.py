"""Long work off the request: the job runner and its processes."""
