"""APScheduler wiring and module-level job functions that call services/.

The reminder sweep lives here once the reminder issue lands; `uppsikt run` will start it.
"""
