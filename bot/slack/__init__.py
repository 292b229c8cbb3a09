"""The Slack adapter: Bolt app, listeners, Block Kit builders, notifier."""
