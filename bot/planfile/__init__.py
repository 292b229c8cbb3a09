"""The plan's file format (columns, sheets, cell conventions) and its writers.

Both directions use it: the plan importer (bot/importers/plan) reads files in this format, and
the export and the import template write it, so an export can be imported again unchanged.
"""
