"""HTTP serving shared by the adapters: the server, routing, health and readiness."""
