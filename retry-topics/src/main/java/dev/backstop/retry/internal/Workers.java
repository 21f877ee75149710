package dev.backstop.retry.internal;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The worker pool of one consumer loop: up to {@code concurrency} daemon threads, started when work
 * comes and ended after a minute without any, so an idle tier costs no threads. Daemon threads: a
 * handler that blocks for ever does not keep the JVM alive after {@code close()}.
 */
final class Workers {
  private static final long IDLE_SECONDS = 60;

  private Workers() {}

  static ExecutorService create(String namePrefix, int concurrency) {
    AtomicInteger count = new AtomicInteger();
    ThreadFactory threads =
        runnable -> {
          Thread thread = new Thread(runnable, namePrefix + "-" + count.incrementAndGet());
          thread.setDaemon(true);
          return thread;
        };
    ThreadPoolExecutor pool =
        new ThreadPoolExecutor(
            concurrency,
            concurrency,
            IDLE_SECONDS,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(),
            threads);
    pool.allowCoreThreadTimeOut(true);
    return pool;
  }
}
