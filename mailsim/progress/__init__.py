"""The learner's progress: one SQLite database, its schema and its migrations."""
