"""Answers read from the build for people: questions in words (:mod:`ndkg.answers.ask`), a
described discharge (:mod:`ndkg.answers.described`), the classification of a presentation
(:mod:`ndkg.answers.classify`), the graph's words (:mod:`ndkg.answers.lexicon`), the evidence of
claims and statistics and the imaging criteria (:mod:`ndkg.answers.imaging`)."""
