package io.pulley.controller.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulley.v1.ManifestError;
import io.pulley.v1.Resource;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SecurityUpgradesCompileTest {

  private CompileResult compile(String section) {
    return ShopStack.compile("{domains: [shop.example.com]}", "security_upgrades: " + section);
  }

  private static Resource byId(CompileResult result, String id) {
    return result.manifest().orElseThrow().getResourcesList().stream()
        .filter(r -> r.getId().equals(id))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void rebootAt_turnsTheDailyRunAndTheRebootOn_andInstallsTheTool() {
    CompileResult result = compile("{reboot_at: \"04:30\"}");

    assertThat(result.errors()).isEmpty();
    Resource file = byId(result, "file:security-upgrades");
    assertThat(file.getFile().getPath()).isEqualTo("/etc/apt/apt.conf.d/52pulley-shop-upgrades");
    assertThat(file.getFile().getContent())
        .startsWith("// Written by Pulley from the stack section of shop/production")
        .contains(
            "APT::Periodic::Update-Package-Lists \"1\";\n"
                + "APT::Periodic::Unattended-Upgrade \"1\";\n"
                + "Unattended-Upgrade::Automatic-Reboot \"true\";\n"
                + "Unattended-Upgrade::Automatic-Reboot-Time \"04:30\";\n");
    assertThat(file.getFile().getValidateList()).containsExactly("apt-config", "dump");
    assertThat(byId(result, "package:stack").getPackage().getNamesList())
        .contains("unattended-upgrades");
  }

  @Test
  void noRebootAt_neverRebootsByItself() {
    String content = byId(compile("{}"), "file:security-upgrades").getFile().getContent();

    assertThat(content)
        .contains("Unattended-Upgrade::Automatic-Reboot \"false\";")
        .doesNotContain("Reboot-Time");
  }

  @ParameterizedTest
  @ValueSource(strings = {"4:30", "24:00", "04:60", "0430", "04:3a", "noon", "04:30:00"})
  void rebootAt_thatIsNoTimeOfDay_isRefused(String value) {
    List<ManifestError> errors = compile("{reboot_at: \"" + value + "\"}").errors();

    assertThat(errors)
        .extracting(ManifestError::getField)
        .containsExactly("stack.security_upgrades.reboot_at");
  }
}
