package io.pulley.controller.plan;

import com.google.protobuf.CodedOutputStream;
import io.pulley.controller.manifest.AppEnv;
import io.pulley.controller.stack.StackDefaults;
import io.pulley.v1.AppPlan;
import io.pulley.v1.HostFacts;
import io.pulley.v1.HostPlan;
import io.pulley.v1.HostSelector;
import io.pulley.v1.Revision;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * Renders the plan of one host from the current revision of every application and environment.
 * Stateless and thread-safe; the same input always gives the same plan and plan id.
 *
 * <p>The plan id is the hex SHA-256 of the deterministic protobuf encoding of a {@link HostPlan}
 * holding only {@code apps}. It leaves out {@code host_id} on purpose: the id names content, so
 * hosts that must run the same thing share it, and a host with no applications has {@link
 * #EMPTY_PLAN_ID}, the hash of zero bytes, which an agent that has applied nothing can compute
 * without being told.
 */
public final class PlanRenderer {

  /** The id of a plan with no applications: SHA-256 of the empty byte string. */
  public static final String EMPTY_PLAN_ID =
      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

  /** What an admin sees instead of a secret's value. */
  public static final String REDACTED = "(redacted)";

  private static final Comparator<AppPlan> BY_APPLICATION_THEN_ENVIRONMENT =
      Comparator.comparing(AppPlan::getApplication).thenComparing(AppPlan::getEnvironment);

  /**
   * The plan for {@code hostId}: one {@link AppPlan} per revision whose manifest selects the host,
   * ordered by application then environment.
   *
   * @param currentRevisions at most one revision per application and environment, in any order
   */
  public HostPlan render(String hostId, HostFacts facts, List<Revision> currentRevisions) {
    return render(hostId, facts, currentRevisions, revision -> Map.of());
  }

  /**
   * The plan for {@code hostId}, each application's part carrying the secrets {@code secrets} gives
   * for its revision.
   */
  public HostPlan render(
      String hostId,
      HostFacts facts,
      List<Revision> currentRevisions,
      Function<Revision, Map<String, String>> secrets) {
    requireHostId(hostId);
    Objects.requireNonNull(facts, "facts");
    rejectDuplicates(currentRevisions);
    List<AppPlan> apps =
        currentRevisions.stream()
            .filter(revision -> selects(revision.getManifest().getHosts(), hostId, facts))
            .map(revision -> appPlan(revision, secrets.apply(revision)))
            .sorted(BY_APPLICATION_THEN_ENVIRONMENT)
            .toList();
    return HostPlan.newBuilder().setHostId(hostId).setPlanId(planId(apps)).addAllApps(apps).build();
  }

  /**
   * Whether {@code selector} picks the host: every selector label is among the host's labels with
   * the same value, and the host id is listed if any ids are. An empty selector picks every host.
   */
  public static boolean selects(HostSelector selector, String hostId, HostFacts facts) {
    requireHostId(hostId);
    Map<String, String> hostLabels = facts.getLabelsMap();
    for (Map.Entry<String, String> wanted : selector.getLabelsMap().entrySet()) {
      if (!wanted.getValue().equals(hostLabels.get(wanted.getKey()))) {
        return false;
      }
    }
    return selector.getHostIdsList().isEmpty() || selector.getHostIdsList().contains(hostId);
  }

  /** The plan id of {@code apps}, which must already be in plan order. */
  public static String planId(List<AppPlan> apps) {
    HostPlan contentOnly = HostPlan.newBuilder().addAllApps(apps).build();
    return HexFormat.of().formatHex(sha256().digest(deterministicBytes(contentOnly)));
  }

  /**
   * A copy of {@code plan} with every secret value replaced by {@link #REDACTED}, for admins: the
   * names show what a host receives, the values stay with the agents.
   */
  public static HostPlan redacted(HostPlan plan) {
    HostPlan.Builder copy = plan.toBuilder();
    for (AppPlan.Builder app : copy.getAppsBuilderList()) {
      for (String name : List.copyOf(app.getSecretsMap().keySet())) {
        app.putSecrets(name, REDACTED);
      }
    }
    return copy.build();
  }

  private static AppPlan appPlan(Revision revision, Map<String, String> secrets) {
    return AppPlan.newBuilder()
        .putAllSecrets(secrets)
        .setApplication(revision.getApplication())
        .setEnvironment(revision.getEnvironment())
        .setRevision(revision.getNumber())
        .addAllResources(
            revision.getManifest().getResourcesList().stream()
                .map(StackDefaults::inStoredResource)
                .toList())
        .build();
  }

  // Protobuf's default encoding may order map entries differently between runs; the id must not.
  private static byte[] deterministicBytes(HostPlan plan) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(plan.getSerializedSize());
    CodedOutputStream output = CodedOutputStream.newInstance(bytes);
    output.useDeterministicSerialization();
    try {
      plan.writeTo(output);
      output.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("writing to memory cannot fail", e);
    }
    return bytes.toByteArray();
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform provides SHA-256", e);
    }
  }

  private static void rejectDuplicates(List<Revision> revisions) {
    Set<AppEnv> seen = new HashSet<>();
    for (Revision revision : revisions) {
      AppEnv app = AppEnv.of(revision);
      if (!seen.add(app)) {
        throw new IllegalArgumentException(
            "two current revisions for " + app + "; pass only the newest of each");
      }
    }
  }

  private static void requireHostId(String hostId) {
    if (hostId == null || hostId.isEmpty()) {
      throw new IllegalArgumentException("host id must not be empty, was " + hostId);
    }
  }
}
