package io.pulley.controller.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClientSettingsTest {
  @TempDir Path home;

  private static final ClientSettings.Flags NO_FLAGS = new ClientSettings.Flags(null, null, false);

  @Test
  void resolve_nothingGiven_defaultsUnderTheHome() {
    ClientSettings settings = ClientSettings.resolve(NO_FLAGS, Map.of(), home);

    assertThat(settings.controller()).isEqualTo("127.0.0.1:7400");
    assertThat(settings.credentials()).isEqualTo(home.resolve(".config/pulley/credentials"));
    assertThat(settings.configFile()).isEqualTo(home.resolve(".config/pulley/config.yaml"));
    assertThat(settings.insecure()).isFalse();
  }

  @Test
  void resolve_fileBeatsDefaults_envBeatsFile_flagsBeatEnv() throws Exception {
    writeConfig(home.resolve(".config/pulley"), "controller: file:1\ncredentials: /from/file\n");
    Map<String, String> env =
        Map.of("PULLEY_CONTROLLER", "env:2", "PULLEY_CREDENTIALS", "/from/env");

    assertThat(ClientSettings.resolve(NO_FLAGS, Map.of(), home).controller()).isEqualTo("file:1");
    assertThat(ClientSettings.resolve(NO_FLAGS, Map.of(), home).credentials())
        .isEqualTo(Path.of("/from/file"));
    assertThat(ClientSettings.resolve(NO_FLAGS, env, home).controller()).isEqualTo("env:2");
    assertThat(ClientSettings.resolve(NO_FLAGS, env, home).credentials())
        .isEqualTo(Path.of("/from/env"));
    ClientSettings flagged =
        ClientSettings.resolve(
            new ClientSettings.Flags("flag:3", Path.of("/from/flag"), false), env, home);
    assertThat(flagged.controller()).isEqualTo("flag:3");
    assertThat(flagged.credentials()).isEqualTo(Path.of("/from/flag"));
  }

  @Test
  void resolve_xdgConfigHome_movesFileAndCredentials() throws Exception {
    Path xdg = home.resolve("xdg");
    writeConfig(xdg.resolve("pulley"), "controller: xdg:4\n");

    ClientSettings settings =
        ClientSettings.resolve(NO_FLAGS, Map.of("XDG_CONFIG_HOME", xdg.toString()), home);

    assertThat(settings.controller()).isEqualTo("xdg:4");
    assertThat(settings.credentials()).isEqualTo(xdg.resolve("pulley/credentials"));
  }

  @Test
  void resolve_insecureFromFlagOrEnv() {
    assertThat(
            ClientSettings.resolve(new ClientSettings.Flags(null, null, true), Map.of(), home)
                .insecure())
        .isTrue();
    assertThat(ClientSettings.resolve(NO_FLAGS, Map.of("PULLEY_INSECURE", "1"), home).insecure())
        .isTrue();
  }

  @Test
  void resolve_unknownKeyInTheFile_isAUsageError() throws Exception {
    writeConfig(home.resolve(".config/pulley"), "controler: typo:1\n");

    assertThatThrownBy(() -> ClientSettings.resolve(NO_FLAGS, Map.of(), home))
        .isInstanceOf(CliException.class)
        .hasMessageContaining("controler")
        .hasMessageContaining("known keys");
  }

  @Test
  void saveController_keepsTheCredentialsKey() throws Exception {
    writeConfig(home.resolve(".config/pulley"), "credentials: /keep/me\n");
    ClientSettings settings =
        ClientSettings.resolve(new ClientSettings.Flags("new:5", null, false), Map.of(), home);

    settings.saveController();

    ClientSettings again = ClientSettings.resolve(NO_FLAGS, Map.of(), home);
    assertThat(again.controller()).isEqualTo("new:5");
    assertThat(again.credentials()).isEqualTo(Path.of("/keep/me"));
  }

  private static void writeConfig(Path dir, String text) throws Exception {
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("config.yaml"), text);
  }
}
