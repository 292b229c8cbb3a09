"""The Microsoft Teams adapter: the Teams SDK app, Adaptive Card builders, handlers, notifier."""
