"""Pure domain logic: no Slack, no SQL, no files."""
