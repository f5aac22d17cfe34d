package io.pulley.agent.apply.wiring;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulley.agent.apply.Contexts;
import io.pulley.v1.lite.Group;
import io.pulley.v1.lite.Package;
import io.pulley.v1.lite.Resource;
import io.pulley.v1.lite.Service;
import io.pulley.v1.lite.User;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Routing only: every spec here is refused by its executor before anything runs. */
class ExecutorsTest {
  @TempDir Path dir;

  private String reason(Resource resource) throws Exception {
    return Executors.forRoots(List.of(dir)).converge(resource, Contexts.plain(dir)).reason();
  }

  @Test
  void converge_systemKinds_reachTheirExecutors() throws Exception {
    assertThat(reason(Resource.newBuilder().setPackage(Package.newBuilder().addNames("X")).build()))
        .startsWith("package name 'X'");
    assertThat(reason(Resource.newBuilder().setGroup(Group.newBuilder().setName("G")).build()))
        .startsWith("group name 'G'");
    assertThat(reason(Resource.newBuilder().setUser(User.newBuilder().setName("U")).build()))
        .startsWith("user name 'U'");
    assertThat(reason(Resource.newBuilder().setService(Service.newBuilder().setName("s")).build()))
        .startsWith("unit name 's'");
  }

  @Test
  void converge_unitFileOutsideTheAllowedRoots_isRefused() throws Exception {
    Resource unit =
        Resource.newBuilder()
            .setService(Service.newBuilder().setName("app.service").setUnit("[Service]\n"))
            .build();

    assertThat(reason(unit))
        .isEqualTo(
            "path /etc/systemd/system/app.service is outside the allowed roots [" + dir + "]");
  }
}
