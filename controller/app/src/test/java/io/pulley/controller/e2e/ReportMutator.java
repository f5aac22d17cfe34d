package io.pulley.controller.e2e;

import com.google.protobuf.ByteString;
import io.pulley.v1.ApplyReport;
import io.pulley.v1.ResourceOutcome;
import io.pulley.v1.ResourceResult;
import io.pulley.v1.RevisionRef;
import java.util.Random;

/**
 * Seeded hostile reports, as a compromised host could send: huge and many results, control
 * characters and escape sequences in every text field, unknown enum numbers, random bytes.
 */
final class ReportMutator {
  private final Random random;

  ReportMutator(long seed) {
    this.random = new Random(seed);
  }

  /** Whether the last {@link #next} was random bytes rather than a report. */
  boolean garbage;

  /** A report for {@code hostId}, or raw bytes that may not parse as one. */
  ByteString next(String hostId) {
    garbage = random.nextInt(10) == 0;
    if (garbage) {
      byte[] bytes = new byte[random.nextInt(4096)];
      random.nextBytes(bytes);
      return ByteString.copyFrom(bytes);
    }
    ApplyReport.Builder report =
        ApplyReport.newBuilder()
            .setHostId(hostId)
            .setPlanId(text(64))
            .setOutcomeValue(random.nextInt(6) - 1);
    // Many results, or a few with huge texts, or one over the message limit; never all at once, so
    // that a round costs the client megabytes, not gigabytes.
    int shape = random.nextInt(10);
    int results = shape == 0 ? 1 + random.nextInt(5000) : random.nextInt(20);
    int textMax = shape == 0 ? 100 : 2000;
    for (int i = 0; i < results; i++) {
      int tail = shape == 1 && i == 0 ? 500_000 : shape == 2 && i == 0 ? 5_000_000 : textMax;
      report.addResults(
          ResourceResult.newBuilder()
              .setApplication(text(40))
              .setEnvironment(text(40))
              .setResourceId(text(80))
              .setOutcome(ResourceOutcome.forNumber(random.nextInt(5)))
              .setReason(text(shape == 3 && i == 0 ? 200_000 : textMax / 10))
              .setOutputTail(text(tail))
              .setDrift(text(100)));
    }
    for (int i = random.nextInt(4); i > 0; i--) {
      report.addRevisions(
          RevisionRef.newBuilder().setApplication(text(30)).setEnvironment(text(30)));
    }
    return report.build().toByteString();
  }

  /** Up to {@code max} characters, mostly printable, with escapes and controls among them. */
  private String text(int max) {
    int length = random.nextInt(max + 1);
    StringBuilder out = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      int kind = random.nextInt(20);
      if (kind == 0) {
        out.append("\u001b[2J\u001b]0;owned\u0007");
      } else if (kind == 1) {
        out.append((char) random.nextInt(0x20));
      } else if (kind == 2) {
        out.append((char) (0x80 + random.nextInt(0x20)));
      } else {
        out.append((char) (0x20 + random.nextInt(0x5f)));
      }
    }
    return out.toString();
  }
}
