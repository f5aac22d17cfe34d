package io.pulley.controller.manifest;

import com.google.re2j.Pattern;
import io.pulley.controller.stack.StackDefaults;
import io.pulley.v1.HostSelector;
import io.pulley.v1.Manifest;
import io.pulley.v1.Resource;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks the meaning of a parsed manifest: names, labels, unique resource ids, and (through {@link
 * ResourceValidator}) every resource. Reports into {@link Problems}, pointing at the line where
 * each field was written. Not thread-safe: one per compilation.
 */
final class ManifestValidator {

  private static final Pattern LABEL_KEY = Pattern.compile("[A-Za-z0-9._/-]+");

  private final Checks checks;

  ManifestValidator(Problems problems, Positions positions) {
    this.checks = new Checks(problems, positions);
  }

  void validate(Manifest manifest) {
    name("application", manifest.getApplication());
    name("environment", manifest.getEnvironment());
    hosts(manifest.getHosts());
    List<Resource> resources = manifest.getResourcesList();
    ResourceValidator resourceValidator = new ResourceValidator(checks);
    for (int i = 0; i < resources.size(); i++) {
      resourceValidator.validate(resources.get(i), "resources[" + i + "]");
    }
    uniqueIds(resources);
    oneFirewall(manifest);
    if (manifest.hasStack()) {
      new StackValidator(checks).validate(manifest.getStack(), StackDefaults.filled(manifest));
    }
    new DeliveryValidator(checks).validate(manifest);
  }

  /**
   * An application has one part in each host's firewall: two would replace each other. A stack
   * always renders its part (its site's ports at least), so a manifest with a stack writes its
   * firewall as stack.firewall.
   */
  private void oneFirewall(Manifest manifest) {
    boolean seen = false;
    List<Resource> resources = manifest.getResourcesList();
    for (int i = 0; i < resources.size(); i++) {
      if (!resources.get(i).hasFirewall()) {
        continue;
      }
      if (manifest.hasStack()) {
        checks.fail(
            "resources[" + i + "].firewall",
            "a manifest with a stack writes its firewall as stack.firewall, which also opens the"
                + " site's ports");
      } else if (seen) {
        checks.fail(
            "resources[" + i + "].firewall",
            "an application has one firewall: put its ports and networks in one resource");
      }
      seen = true;
    }
  }

  private void name(String field, String value) {
    ManifestNames.problem(field, value).ifPresent(reason -> checks.fail(field, reason));
  }

  private void hosts(HostSelector hosts) {
    for (Map.Entry<String, String> label : hosts.getLabelsMap().entrySet()) {
      String field = "hosts.labels[" + ProtoNodeReader.quote(label.getKey()) + "]";
      if (!LABEL_KEY.matcher(label.getKey()).matches()) {
        checks.fail(
            field,
            "label key "
                + ProtoNodeReader.quote(label.getKey())
                + " is not valid; use letters, digits, \".\", \"_\", \"/\" and \"-\"");
      }
      if (label.getValue().isEmpty()) {
        checks.fail(field, "label " + ProtoNodeReader.quote(label.getKey()) + " has no value");
      }
    }
    for (int i = 0; i < hosts.getHostIdsCount(); i++) {
      String id = hosts.getHostIds(i);
      if (id.isEmpty() || !id.strip().equals(id) || id.chars().anyMatch(Character::isISOControl)) {
        checks.fail(
            "hosts.host_ids[" + i + "]",
            "host id "
                + ProtoNodeReader.quote(id)
                + " must be non-empty, without blanks around it");
      }
    }
  }

  private void uniqueIds(List<Resource> resources) {
    Map<String, Integer> firstIndex = new HashMap<>();
    for (int i = 0; i < resources.size(); i++) {
      Resource resource = resources.get(i);
      if (resource.getKindCase() == Resource.KindCase.KIND_NOT_SET) {
        continue;
      }
      String id = ManifestDefaults.idOf(resource);
      Integer first = firstIndex.putIfAbsent(id, i);
      if (first != null) {
        checks.fail(
            "resources[" + i + "].id",
            "duplicate resource id "
                + ProtoNodeReader.quote(id)
                + " (also resources["
                + first
                + "]); set \"id\" to tell them apart");
      }
    }
  }
}
