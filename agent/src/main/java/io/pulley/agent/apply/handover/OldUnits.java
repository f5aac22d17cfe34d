package io.pulley.agent.apply.handover;

import io.pulley.agent.apply.systemd.StepFailed;
import io.pulley.agent.apply.systemd.Systemctl;
import java.util.ArrayList;
import java.util.List;

/** Which units a handover retires once the release is live. Stateless. */
final class OldUnits {

  private OldUnits() {}

  /**
   * Every instance of {@code template} still running other than the live one, then each of the
   * older layout's {@code retired} units still active: what to stop, in order.
   */
  static List<String> of(Systemctl systemctl, Instances template, String live, List<String> retired)
      throws StepFailed, InterruptedException {
    List<String> old = new ArrayList<>(systemctl.running(template.pattern()));
    old.remove(live);
    for (String unit : retired) {
      if (systemctl.isActive(unit)) {
        old.add(unit);
      }
    }
    return old;
  }
}
