package io.pulley.agent.facts;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulley.v1.lite.HostFacts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostFactsCollectorTest {
  @TempDir Path dir;

  @Test
  void collect_readsOsReleaseMeminfoAndHostname() throws Exception {
    Path osRelease =
        Files.writeString(
            dir.resolve("os-release"),
            "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nVERSION_ID=\"12\"\nID=debian\n");
    Path meminfo =
        Files.writeString(dir.resolve("meminfo"), "MemTotal:       16384 kB\nMemFree: 1 kB\n");
    Path hostname = Files.writeString(dir.resolve("hostname"), "web-1\n");
    Path interpreter = Files.writeString(dir.resolve("python3.13"), "");
    Path python3 = Files.createSymbolicLink(dir.resolve("python3"), interpreter.getFileName());

    HostFacts facts =
        new HostFactsCollector(osRelease, meminfo, hostname, new HostPython(python3))
            .collect(Map.of("env", "prod"));

    assertThat(facts.getOsId()).isEqualTo("debian");
    assertThat(facts.getOsVersion()).isEqualTo("12");
    assertThat(facts.getMemoryBytes()).isEqualTo(16384L * 1024);
    assertThat(facts.getHostname()).isEqualTo("web-1");
    assertThat(facts.getLabelsMap()).containsEntry("env", "prod");
    assertThat(facts.getCpuCount()).isPositive();
    assertThat(facts.getKernel()).isEqualTo(System.getProperty("os.version"));
    assertThat(facts.getArch()).isEqualTo(System.getProperty("os.arch"));
    assertThat(facts.getAgentVersion()).isEqualTo("dev");
    assertThat(facts.getPython()).isEqualTo(interpreter.toRealPath().toString());
  }

  @Test
  void collect_missingFiles_leavesFieldsEmpty() {
    Path none = dir.resolve("none");

    HostFacts facts =
        new HostFactsCollector(none, none, none, new HostPython(none)).collect(Map.of());

    assertThat(facts.getOsId()).isEmpty();
    assertThat(facts.getMemoryBytes()).isZero();
    assertThat(facts.getPython()).isEmpty();
    assertThat(facts.getHostname()).isNotEmpty();
  }
}
