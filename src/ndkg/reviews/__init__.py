"""Reviews of claims and statistics: the records reviewers write (:mod:`ndkg.reviews.records`),
the current statuses shown wherever claims are used (:mod:`ndkg.reviews.overlay`) and ORCID
iDs (:mod:`ndkg.reviews.orcid`)."""
