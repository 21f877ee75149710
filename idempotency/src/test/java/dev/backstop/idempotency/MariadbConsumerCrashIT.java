package dev.backstop.idempotency;

import dev.backstop.testkit.BackstopDatabase;
import dev.backstop.testkit.BackstopKafka;
import dev.backstop.testkit.TestDatabase;

@BackstopKafka
@BackstopDatabase(kind = TestDatabase.Kind.MARIADB)
class MariadbConsumerCrashIT extends AbstractConsumerCrashIT {}
