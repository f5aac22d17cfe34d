package io.pulley.packaging.harness;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ServerFleetTest {

  @Test
  void boot_threeServers_distinctAddressesAndAllReachTheHost() throws IOException {
    try (ServerFleet fleet = ServerFleet.boot(DebianImage.bookworm(), 3);
        ServerSocket listener = new ServerSocket(0, 10, TestNetwork.hostAddress())) {
      listener.setSoTimeout(30_000);
      List<PristineServer> servers = fleet.servers();

      assertThat(servers).extracting(PristineServer::address).doesNotHaveDuplicates().hasSize(3);
      assertThat(servers).extracting(PristineServer::hostName).doesNotHaveDuplicates();
      for (PristineServer server : servers) {
        server.execOrThrow(
            "bash",
            "-c",
            "echo \"$3\" > \"/dev/tcp/$1/$2\"",
            "bash",
            TestNetwork.HOST_ADDRESS,
            Integer.toString(listener.getLocalPort()),
            server.hostName());
      }
      Set<String> greetings = new HashSet<>();
      for (int i = 0; i < servers.size(); i++) {
        try (Socket accepted = listener.accept()) {
          greetings.add(PristineServerTest.firstLine(accepted));
        }
      }
      assertThat(greetings)
          .containsExactlyInAnyOrderElementsOf(
              servers.stream().map(PristineServer::hostName).toList());
    }
  }

  @Test
  void boot_servers_reachEachOther() {
    try (ServerFleet fleet = ServerFleet.boot(DebianImage.bookworm(), 2)) {
      PristineServer first = fleet.get(0);
      PristineServer second = fleet.get(1);
      second.writeFile(
          "/etc/systemd/system/pulley-peer.socket", "[Socket]\nListenStream=7071\nAccept=yes\n");
      second.writeFile(
          "/etc/systemd/system/pulley-peer@.service",
          "[Service]\nExecStart=/bin/hostname\nStandardOutput=socket\n");
      second.execOrThrow("systemctl", "daemon-reload");
      second.execOrThrow("systemctl", "start", "pulley-peer.socket");

      ExecResult answer =
          first.execOrThrow(
              "bash",
              "-c",
              "exec 3<>\"/dev/tcp/$1/7071\" && head -n1 <&3",
              "bash",
              second.address());

      assertThat(answer.stdout().strip()).isEqualTo(second.hostName());
    }
  }
}
