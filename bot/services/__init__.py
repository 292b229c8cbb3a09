"""Use cases: they talk to storage and to the domain, never to Slack or Teams directly."""
