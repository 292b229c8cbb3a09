"""Uppsikt: tertial goal follow-up for Swedish municipal committees."""

__version__ = "0.1.0"
