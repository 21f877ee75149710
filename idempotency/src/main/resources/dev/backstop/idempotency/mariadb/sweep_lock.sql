-- One sweeper per (table, group) at a time: a named lock of the sweeper's session, never waited for.
SELECT GET_LOCK(:lock_name, 0) = 1
