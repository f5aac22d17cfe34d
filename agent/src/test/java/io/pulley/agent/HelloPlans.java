package io.pulley.agent;

import io.pulley.v1.lite.AppPlan;
import io.pulley.v1.lite.File;
import io.pulley.v1.lite.HostPlan;
import io.pulley.v1.lite.Resource;
import java.nio.file.Path;
import java.util.List;

/** The agent tests' plans: host web-1 with hello/production revision 1 and the given files. */
public final class HelloPlans {
  private HelloPlans() {}

  public static HostPlan plan(String id, Resource... resources) {
    return HostPlan.newBuilder()
        .setHostId("web-1")
        .setPlanId(id)
        .addApps(
            AppPlan.newBuilder()
                .setApplication("hello")
                .setEnvironment("production")
                .setRevision(1)
                .addAllResources(List.of(resources)))
        .build();
  }

  /** A file resource {@code file:RELATIVE} at {@code srv/RELATIVE}. */
  public static Resource file(Path srv, String relative, String content) {
    return Resource.newBuilder()
        .setId("file:" + relative)
        .setFile(File.newBuilder().setPath(srv.resolve(relative).toString()).setContent(content))
        .build();
  }
}
