package io.pulley.controller.manifest;

import static io.pulley.controller.manifest.ProtoNodeReader.quote;

import io.pulley.v1.Manifest;
import io.pulley.v1.Resource;
import io.pulley.v1.Service;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks that need the whole resource list, the stack's rendered resources included: ids unique
 * across both, and every service's restart_on/reload_on naming a resource that exists. Not
 * thread-safe: one per compilation.
 */
final class RenderedChecks {

  private final Checks checks;

  RenderedChecks(Checks checks) {
    this.checks = checks;
  }

  /** Checks {@code manifest}, whose first {@code ownCount} resources are the admin's own. */
  void validate(Manifest manifest, int ownCount) {
    List<Resource> resources = manifest.getResourcesList();
    Map<String, Integer> index = new HashMap<>();
    for (int i = 0; i < resources.size(); i++) {
      String id = ManifestDefaults.idOf(resources.get(i));
      Integer first = index.putIfAbsent(id, i);
      if (first != null && first < ownCount && i >= ownCount) {
        checks.fail(
            "resources[" + first + "].id",
            "resource id "
                + quote(id)
                + " is also the id of a resource the stack section renders; pick another id");
      }
    }
    for (int i = 0; i < ownCount; i++) {
      if (resources.get(i).hasService()) {
        references(resources.get(i).getService(), "resources[" + i + "].service", i, index);
      }
    }
  }

  private void references(Service service, String path, int position, Map<String, Integer> index) {
    watched(path + ".restart_on", service.getRestartOnList(), position, index);
    watched(path + ".reload_on", service.getReloadOnList(), position, index);
  }

  /**
   * Every watched id must name a resource before the service: resources converge in order, so a
   * change after the service could never restart it.
   */
  private void watched(String field, List<String> ids, int position, Map<String, Integer> index) {
    for (int i = 0; i < ids.size(); i++) {
      Integer at = index.get(ids.get(i));
      if (at == null) {
        checks.fail(
            field + "[" + i + "]",
            "no resource has the id "
                + quote(ids.get(i))
                + "; name a resource of this manifest (see `pulley plan` for the stack's ids)");
      } else if (at >= position) {
        checks.fail(
            field + "[" + i + "]",
            "resource "
                + quote(ids.get(i))
                + " comes after this service; resources converge in order, so move it before");
      }
    }
  }
}
