package dev.backstop.idempotency;

import dev.backstop.testkit.BackstopDatabase;
import dev.backstop.testkit.TestDatabase;

@BackstopDatabase(kind = TestDatabase.Kind.POSTGRESQL)
class PostgresLeaseModeIT extends AbstractLeaseModeIT {}
