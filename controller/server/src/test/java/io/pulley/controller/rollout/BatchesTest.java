package io.pulley.controller.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pulley.controller.manifest.BatchSize;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class BatchesTest {

  @Test
  void canaryAlone_thenBatchesOfACount_theLastOneShorter() {
    assertThat(Batches.split(hosts(6), 1, new BatchSize.Count(2)))
        .containsExactly(List.of("h1"), List.of("h2", "h3"), List.of("h4", "h5"), List.of("h6"));
  }

  @Test
  void aPercentageIsOfAllTheRolloutsHosts_roundedUp() {
    // 25% of 8 is 2 a batch; 10% of 3 is still one host.
    assertThat(Batches.split(hosts(8), 2, new BatchSize.Percent(25)))
        .containsExactly(
            List.of("h1", "h2"), List.of("h3", "h4"), List.of("h5", "h6"), List.of("h7", "h8"));
    assertThat(Batches.split(hosts(3), 1, new BatchSize.Percent(10)))
        .containsExactly(List.of("h1"), List.of("h2"), List.of("h3"));
  }

  @Test
  void withoutABatchSize_everyHostLeftGoesTogether() {
    assertThat(Batches.split(hosts(3), 1, new BatchSize.Rest()))
        .containsExactly(List.of("h1"), List.of("h2", "h3"));
  }

  @Test
  void aCanaryLargerThanTheFleetIsTheWholeFleet_andNoHostsAreNoBatches() {
    assertThat(Batches.split(hosts(2), 5, new BatchSize.Count(1)))
        .containsExactly(List.of("h1", "h2"));
    assertThat(Batches.split(List.of(), 1, new BatchSize.Count(1))).isEmpty();
    assertThatThrownBy(() -> Batches.split(hosts(2), 0, new BatchSize.Count(1)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void everyHostIsInExactlyOneBatch_inOrder() {
    for (int n = 1; n <= 40; n++) {
      for (BatchSize size :
          List.of(new BatchSize.Count(3), new BatchSize.Percent(30), new BatchSize.Rest())) {
        List<String> flattened =
            Batches.split(hosts(n), 2, size).stream().flatMap(List::stream).toList();
        assertThat(flattened).as(n + " hosts, " + size).isEqualTo(hosts(n));
      }
    }
  }

  @Test
  void readsTheManifestsBatchField() {
    assertThat(BatchSize.parse("")).contains(new BatchSize.Rest());
    assertThat(BatchSize.parse("3")).contains(new BatchSize.Count(3));
    assertThat(BatchSize.parse("25%")).contains(new BatchSize.Percent(25));
    assertThat(BatchSize.parse("100%")).contains(new BatchSize.Percent(100));
    for (String wrong : List.of("0", "0%", "101%", "-1", "03", "2.5", "25 %", "half")) {
      assertThat(BatchSize.parse(wrong)).as(wrong).isEmpty();
    }
  }

  private static List<String> hosts(int n) {
    return IntStream.rangeClosed(1, n).mapToObj(i -> "h" + i).toList();
  }
}
