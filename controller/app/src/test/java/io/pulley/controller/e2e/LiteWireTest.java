package io.pulley.controller.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.Duration;
import com.google.protobuf.Timestamp;
import io.pulley.v1.ApplyManifestRequest;
import io.pulley.v1.ApplyReport;
import io.pulley.v1.EnrolRequest;
import io.pulley.v1.PollRequest;
import io.pulley.v1.ResourceResult;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The agent's lite code (io.pulley.v1.lite, with Timestamp and Duration of its own) and the
 * controller's full code read each other's bytes: the same contract, in two builds of it.
 */
class LiteWireTest {

  @Test
  void aReportWithTimes_readsTheSameOnBothSides_andBack() throws Exception {
    ApplyReport full =
        ApplyReport.newBuilder()
            .setHostId("web-1")
            .setStartedAt(Timestamp.newBuilder().setSeconds(1_765_000_000L).setNanos(123_456_789))
            .setDuration(Duration.newBuilder().setSeconds(-2).setNanos(-500))
            .addResults(
                ResourceResult.newBuilder()
                    .setResourceId("file:/srv/a")
                    .setDuration(Duration.newBuilder().setSeconds(3).setNanos(7)))
            .build();

    io.pulley.v1.lite.ApplyReport lite =
        io.pulley.v1.lite.ApplyReport.parseFrom(full.toByteArray());

    assertThat(lite.getHostId()).isEqualTo("web-1");
    assertThat(lite.getStartedAt().getSeconds()).isEqualTo(1_765_000_000L);
    assertThat(lite.getStartedAt().getNanos()).isEqualTo(123_456_789);
    assertThat(lite.getDuration().getSeconds()).isEqualTo(-2);
    assertThat(lite.getDuration().getNanos()).isEqualTo(-500);
    assertThat(lite.getResults(0).getDuration().getNanos()).isEqualTo(7);
    assertThat(lite.toByteArray()).isEqualTo(full.toByteArray());
    assertThat(ApplyReport.parseFrom(lite.toByteArray())).isEqualTo(full);
  }

  @Test
  void everyMessageOfTheContract_hasItsLiteTwin() throws Exception {
    List<String> missing = new ArrayList<>();
    List<FileDescriptor> services =
        List.of(
            ApplyManifestRequest.getDescriptor().getFile(),
            PollRequest.getDescriptor().getFile(),
            EnrolRequest.getDescriptor().getFile());
    for (Descriptor message : messagesOf(services)) {
      String name = "io.pulley.v1.lite." + binaryName(message);
      try {
        Class.forName(name, false, getClass().getClassLoader());
      } catch (ClassNotFoundException e) {
        missing.add(name);
      }
    }
    assertThat(missing).isEmpty();
  }

  /** Every message in {@code roots} and the pulley.v1 files they import, nested ones too. */
  private static List<Descriptor> messagesOf(List<FileDescriptor> roots) {
    List<Descriptor> messages = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    Deque<FileDescriptor> files = new ArrayDeque<>(roots);
    while (!files.isEmpty()) {
      FileDescriptor next = files.pop();
      if (!next.getPackage().equals("pulley.v1") || !seen.add(next.getName())) {
        continue;
      }
      files.addAll(next.getDependencies());
      Deque<Descriptor> nested = new ArrayDeque<>(next.getMessageTypes());
      while (!nested.isEmpty()) {
        Descriptor message = nested.pop();
        // A map's entry is a message of the descriptor only: neither build has a class for it.
        if (!message.getOptions().getMapEntry()) {
          messages.add(message);
        }
        nested.addAll(message.getNestedTypes());
      }
    }
    assertThat(messages).hasSizeGreaterThan(100);
    return messages;
  }

  private static String binaryName(Descriptor message) {
    return message.getContainingType() == null
        ? message.getName()
        : binaryName(message.getContainingType()) + "$" + message.getName();
  }
}
