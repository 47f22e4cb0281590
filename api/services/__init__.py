"""What the routers and the command line ask of Trasa, one idea per module."""
