package dev.backstop.benchmarks.outbox;

import static dev.backstop.benchmarks.outbox.OutboxBench.config;
import static dev.backstop.benchmarks.outbox.OutboxBench.identity;
import static dev.backstop.benchmarks.outbox.OutboxBench.print;
import static dev.backstop.benchmarks.outbox.OutboxBench.seconds;
import static dev.backstop.benchmarks.outbox.OutboxBench.utf8;

import dev.backstop.outbox.Outbox;
import dev.backstop.outbox.OutboxConfig;
import dev.backstop.outbox.OutboxMessage;
import dev.backstop.testkit.KafkaBroker;
import dev.backstop.testkit.TestDatabase;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.EnumMap;
import java.util.Map;

/**
 * Writer overhead: one thread, a one-row business transaction alone, with a plain second row of the
 * outbox row's size, and with an outbox message; first with the relay stopped, then with it
 * publishing meanwhile. On the test kit's in-JVM broker and the resolved database.
 *
 * <p>Arguments: {@code [transactions] [database]} (defaults 3000 postgresql; the database is {@code
 * postgresql} or {@code mariadb}).
 */
public final class WriterOverheadBenchmark {

  private WriterOverheadBenchmark() {}

  public static void main(String[] args) throws Exception {
    OutboxBench.run(args, 1, (broker, db, a) -> writerOverhead(broker, db, a.number(0, 3_000)));
  }

  private static void writerOverhead(KafkaBroker broker, TestDatabase db, int transactions)
      throws Exception {
    String topic = "writer";
    OutboxBench.prepareWriters(broker, db, topic);
    OutboxConfig config = config(broker, "wr_").build();
    try (Outbox outbox = Outbox.create(config, db.dataSource());
        Connection connection = db.dataSource().getConnection()) {
      try (Statement statement = connection.createStatement()) {
        boolean maria = db.kind() == TestDatabase.Kind.MARIADB;
        statement.execute(
            "CREATE TABLE IF NOT EXISTS bench_event (id BIGINT "
                + identity(db)
                + " PRIMARY KEY, topic VARCHAR(249) NOT NULL, msg_key "
                + (maria ? "BLOB" : "BYTEA")
                + ", msg_value "
                + (maria ? "LONGBLOB" : "BYTEA")
                + ", headers "
                + (maria ? "MEDIUMBLOB" : "BYTEA")
                + ", created_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6))");
      }
      connection.setAutoCommit(false);
      byte[] value = new byte[200];
      // untimed, so every path is compiled before it is measured
      for (Extra extra : Extra.values()) {
        rate(connection, transactions / 4, extra, outbox, topic, value);
      }
      writerRounds(connection, transactions, outbox, topic, value, "relay stopped");
      outbox.startRelay();
      writerRounds(connection, transactions, outbox, topic, value, "relay publishing meanwhile");
    }
  }

  /**
   * Four rounds of each kind of transaction, interleaved; prints the rates over all rounds and the
   * outbox's cost factor against the business row alone and against a plain second row.
   */
  private static void writerRounds(
      Connection connection,
      int transactions,
      Outbox outbox,
      String topic,
      byte[] value,
      String condition)
      throws SQLException {
    Map<Extra, Double> seconds = new EnumMap<>(Extra.class);
    int perRound = transactions / 4;
    for (int round = 0; round < 4; round++) {
      for (Extra extra : Extra.values()) {
        seconds.merge(
            extra, perRound / rate(connection, perRound, extra, outbox, topic, value), Double::sum);
      }
    }
    print(
        String.format(
            "writer, one thread, %d transactions each, %s: business row only %.0f tx/s;"
                + " + a plain row of the same size %.0f tx/s (factor %.2f);"
                + " + outbox message %.0f tx/s, cost factor %.2f (%.2f against the plain row)",
            transactions,
            condition,
            transactions / seconds.get(Extra.NONE),
            transactions / seconds.get(Extra.PLAIN_ROW),
            seconds.get(Extra.PLAIN_ROW) / seconds.get(Extra.NONE),
            transactions / seconds.get(Extra.OUTBOX),
            seconds.get(Extra.OUTBOX) / seconds.get(Extra.NONE),
            seconds.get(Extra.OUTBOX) / seconds.get(Extra.PLAIN_ROW)));
  }

  private enum Extra {
    /** Nothing: the baseline. */
    NONE,
    /**
     * A plain second row of the outbox row's size: what any in-transaction outbox pays at least.
     */
    PLAIN_ROW,
    /** An outbox message. */
    OUTBOX
  }

  private static double rate(
      Connection connection, int count, Extra extra, Outbox outbox, String topic, byte[] value)
      throws SQLException {
    byte[] headers = new byte[120];
    long start = System.nanoTime();
    try (PreparedStatement insert =
            connection.prepareStatement("INSERT INTO bench_order (customer, total) VALUES (?, ?)");
        PreparedStatement event =
            connection.prepareStatement(
                "INSERT INTO bench_event (topic, msg_key, msg_value, headers) VALUES (?, ?, ?, ?)")) {
      for (int i = 0; i < count; i++) {
        insert.setString(1, "customer-" + i);
        insert.setBigDecimal(2, BigDecimal.valueOf(i, 2));
        insert.executeUpdate();
        if (extra == Extra.OUTBOX) {
          outbox.send(connection, OutboxMessage.of(topic, "customer-" + i, value));
        } else if (extra == Extra.PLAIN_ROW) {
          event.setString(1, topic);
          event.setBytes(2, utf8("customer-" + i));
          event.setBytes(3, value);
          event.setBytes(4, headers);
          event.executeUpdate();
        }
        connection.commit();
      }
    }
    return count / seconds(start);
  }
}
