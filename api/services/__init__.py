"""Services: what routers, commands and jobs ask of the program (parameters, ...)."""
