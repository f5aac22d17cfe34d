package io.pulley.controller.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulley.controller.manifest.AppEnv;
import io.pulley.v1.Revision;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteStoreConcurrencyTest {

  private static final int THREADS = 4;
  private static final int APPENDS_PER_THREAD = 25;

  @TempDir Path dataDir;

  @Test
  void appendRevision_fourThreadsOnOneStore_getGaplessDistinctNumbers() throws Exception {
    try (SqliteStore store = SqliteStore.open(dataDir)) {
      List<Long> numbers = appendConcurrently(List.of(store, store, store, store));

      assertGapless(numbers);
      assertThat(store.listRevisions(new AppEnv("shop", "staging"), 1000)).hasSize(numbers.size());
    }
  }

  // Two stores on one file have two connections: only SQLite's IMMEDIATE lock keeps them apart,
  // as it must when the CLI and the controller open the same file.
  @Test
  void appendRevision_twoStoresOnOneFile_getGaplessDistinctNumbers() throws Exception {
    try (SqliteStore first = SqliteStore.open(dataDir);
        SqliteStore second = SqliteStore.open(dataDir)) {
      List<Long> numbers = appendConcurrently(List.of(first, second, first, second));

      assertGapless(numbers);
      assertThat(second.currentRevision(new AppEnv("shop", "staging")))
          .map(Revision::getNumber)
          .contains((long) THREADS * APPENDS_PER_THREAD);
    }
  }

  private static List<Long> appendConcurrently(List<Store> stores) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<List<Long>>> results = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        Store store = stores.get(t);
        String writer = "writer-" + t;
        Callable<List<Long>> appends =
            () -> {
              start.await();
              List<Long> mine = new ArrayList<>();
              for (int i = 0; i < APPENDS_PER_THREAD; i++) {
                Revision revision = Revisions.of("shop", "staging", writer + "-" + i);
                mine.add(store.appendRevision(revision).getNumber());
              }
              return mine;
            };
        results.add(pool.submit(appends));
      }
      start.countDown();
      List<Long> numbers = new ArrayList<>();
      for (Future<List<Long>> result : results) {
        numbers.addAll(result.get());
      }
      return numbers;
    } finally {
      pool.shutdownNow();
    }
  }

  private static void assertGapless(List<Long> numbers) {
    assertThat(numbers)
        .containsExactlyInAnyOrderElementsOf(
            LongStream.rangeClosed(1, (long) THREADS * APPENDS_PER_THREAD).boxed().toList());
  }
}
