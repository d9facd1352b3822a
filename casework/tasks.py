"""Celery tasks of casework. Each takes ids, loads rows and calls one function."""
