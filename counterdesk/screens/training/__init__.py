"""Training mode's screens: the scenario picker, the applicant's brief and desk, the
debrief, and the TRAINING banner with guided mode's hints.

The intake (and every other counter screen) is the live one, unchanged: in training mode
the App hands it the sandbox's services (``services/training.py``).
"""
