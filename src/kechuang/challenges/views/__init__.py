"""The challenge pages, by stage: public.py, needs.py, calls.py, applications.py, decisions.py, projects.py."""
