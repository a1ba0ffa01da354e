"""Small helpers bound to Django (database, tasks, requests, storage), shared by the apps."""
