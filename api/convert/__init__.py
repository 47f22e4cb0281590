"""Schema → domain: the request's documents turned into the planning core's plain data."""
