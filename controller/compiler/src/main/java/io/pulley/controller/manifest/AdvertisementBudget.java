package io.pulley.controller.manifest;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;

/**
 * How much a remote may send while it lists its refs, and for how long: a remote that streams refs
 * without end, or trickles them to stay under the per-read timeout, would otherwise hold the apply
 * or a tracking round and fill the controller's memory. Every stream a listing reads from the
 * network goes through {@link #limit}; the count and the clock are shared by the listing's streams.
 * One per listing; not thread-safe (JGit reads a listing on one thread).
 */
final class AdvertisementBudget {
  /** Far above a large repository's refs (tens of thousands of tags and branches: a few MiB). */
  static final long DEFAULT_BYTES = 32L << 20;

  static final Duration DEFAULT_DURATION = Duration.ofMinutes(2);

  private final long maxBytes;
  private final Duration duration;
  private final long deadlineNanos;
  private long read;

  AdvertisementBudget(long maxBytes, Duration duration) {
    this.maxBytes = maxBytes;
    this.duration = duration;
    this.deadlineNanos = System.nanoTime() + duration.toNanos();
  }

  static AdvertisementBudget standard() {
    return new AdvertisementBudget(DEFAULT_BYTES, DEFAULT_DURATION);
  }

  InputStream limit(InputStream in) {
    return new FilterInputStream(in) {
      @Override
      public int read() throws IOException {
        check(0);
        int b = super.read();
        check(b < 0 ? 0 : 1);
        return b;
      }

      @Override
      public int read(byte[] buffer, int offset, int length) throws IOException {
        check(0);
        int n = super.read(buffer, offset, length);
        check(Math.max(n, 0));
        return n;
      }
    };
  }

  private void check(int more) throws IOException {
    read += more;
    if (read > maxBytes) {
      throw new IOException(
          "the remote sent more than " + describe(maxBytes) + " while listing its refs");
    }
    if (System.nanoTime() - deadlineNanos > 0) {
      throw new IOException(
          "the remote took longer than " + duration.toSeconds() + " s to list its refs");
    }
  }

  private static String describe(long bytes) {
    return bytes >= 1 << 20 ? (bytes >> 20) + " MiB" : bytes + " bytes";
  }
}
