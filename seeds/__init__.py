"""Demo data drawn from the seed documents; `python manage.py load_seeds` loads it."""
