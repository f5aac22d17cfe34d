package io.pulley.controller.time;

import com.google.protobuf.Timestamp;
import java.time.Instant;

/** Between protobuf's {@link Timestamp} and {@link Instant}, to the nanosecond both keep. */
public final class ProtoTime {
  private ProtoTime() {}

  public static Timestamp timestamp(Instant instant) {
    return Timestamp.newBuilder()
        .setSeconds(instant.getEpochSecond())
        .setNanos(instant.getNano())
        .build();
  }

  public static Instant instant(Timestamp timestamp) {
    return Instant.ofEpochSecond(timestamp.getSeconds(), timestamp.getNanos());
  }
}
