"""The ground floor: plain helpers that import neither app (casework, advocacy), so that
both apps stand on it: pagination, and what other modules add here."""
