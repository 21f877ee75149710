-- One sweeper per (table, group) at a time; the lock ends with the batch's transaction.
SELECT pg_try_advisory_xact_lock(hashtextextended(:lock_name, 0))
