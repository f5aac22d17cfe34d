package io.pulley.agent.apply;

import com.google.protobuf.InvalidProtocolBufferException;
import io.pulley.v1.lite.ApplyReport;
import java.util.Arrays;

/**
 * An {@link Applier.Run} as bytes, to cross from the class loader that applied it to the one that
 * reports it (each has its own copy of the protobuf classes): a first byte, 1 if the apply ran to
 * its end, then the report.
 */
public final class RunBytes {
  private RunBytes() {}

  public static byte[] encode(Applier.Run run) {
    byte[] report = run.report().toByteArray();
    byte[] bytes = new byte[report.length + 1];
    bytes[0] = (byte) (run.complete() ? 1 : 0);
    System.arraycopy(report, 0, bytes, 1, report.length);
    return bytes;
  }

  public static Applier.Run decode(byte[] bytes) throws InvalidProtocolBufferException {
    if (bytes.length == 0 || (bytes[0] != 0 && bytes[0] != 1)) {
      throw new InvalidProtocolBufferException("not an apply's run: no leading 0 or 1");
    }
    ApplyReport report = ApplyReport.parseFrom(Arrays.copyOfRange(bytes, 1, bytes.length));
    return new Applier.Run(report, bytes[0] == 1);
  }
}
