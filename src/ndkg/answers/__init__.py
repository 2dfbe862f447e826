"""Answers read from the build for people: the evidence of claims and statistics, and the
imaging criteria (:mod:`ndkg.answers.imaging`)."""
