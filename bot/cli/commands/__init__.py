"""One module per command group; each function takes (context, args) and prints its result."""
