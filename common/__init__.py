"""The ground floor: imports neither app; both apps stand on it."""
