package io.pulley.controller.stack;

import io.pulley.v1.Resource;
import io.pulley.v1.Stack;
import java.util.List;

/**
 * Debian's unattended-upgrades for a stack: an apt configuration file that turns the daily run on
 * (Debian's own 50unattended-upgrades chooses the origins: the security archive and point releases)
 * and sets the reboot policy. Named after the stack and sorted after Debian's files, so that its
 * settings win over 20auto-upgrades; nothing is held back, the stack's own packages included.
 */
final class StackSecurityUpgradesFile {
  static final String FILE_ID = "file:security-upgrades";

  private StackSecurityUpgradesFile() {}

  static List<Resource> render(StackLayout layout, Stack filled) {
    if (!filled.hasSecurityUpgrades()) {
      return List.of();
    }
    return List.of(
        StackRenderer.file(
            FILE_ID,
            StackRenderer.publicFile(path(layout), content(layout, filled))
                .addAllValidate(List.of("apt-config", "dump"))));
  }

  static String path(StackLayout layout) {
    return "/etc/apt/apt.conf.d/52pulley-" + layout.name() + "-upgrades";
  }

  static String content(StackLayout layout, Stack filled) {
    String rebootAt = filled.getSecurityUpgrades().getRebootAt();
    return layout.header("//")
        + "APT::Periodic::Update-Package-Lists \"1\";\n"
        + "APT::Periodic::Unattended-Upgrade \"1\";\n"
        + "Unattended-Upgrade::Automatic-Reboot \""
        + !rebootAt.isEmpty()
        + "\";\n"
        + (rebootAt.isEmpty()
            ? ""
            : "Unattended-Upgrade::Automatic-Reboot-Time \"" + rebootAt + "\";\n")
        + (filled.hasMail()
            // To root, whom the mail section's aliases forward; through /usr/sbin/sendmail.
            ? "Unattended-Upgrade::Mail \"root\";\nUnattended-Upgrade::MailReport \""
                + filled.getMail().getUpgradeReport()
                + "\";\n"
            : "");
  }
}
