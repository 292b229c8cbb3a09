"""Reading imported files: plans (CSV/XLSX) and published reports (text, PDF, JSON)."""
