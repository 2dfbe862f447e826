"""Where the graph is kept: the built store, contributed data and writes to it, backups,
leases, publishing to a SPARQL 1.1 store and querying one (:mod:`ndkg.storage.remote`)."""
