package io.pulley.controller.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulley.v1.ManifestError;
import io.pulley.v1.Resource;
import org.junit.jupiter.api.Test;

/** Open WebSockets hold an old instance only for websocket_drain_seconds, not the harakiri. */
class WebSocketDrainTest {
  private final ManifestCompiler compiler = new ManifestCompiler(new FixedRefResolver());

  private static String site(String site) {
    return """
        application: chat
        environment: production
        stack:
          git: {url: "https://git.example.com/chat.git", ref: main}
          web: {wsgi: chat.wsgi, harakiri: 120}
          site: %s
        """
        .formatted(site);
  }

  private int requestTimeout(String yaml) {
    CompileResult result = compiler.compile(yaml, "chat.yaml");
    assertThat(result.errors()).isEmpty();
    return result.manifest().orElseThrow().getResourcesList().stream()
        .filter(Resource::hasHandover)
        .findFirst()
        .orElseThrow()
        .getHandover()
        .getRequestTimeoutSeconds();
  }

  @Test
  void withWebSockets_theOldInstanceWaitsTheWebSocketDrain_elseTheHarakiri() {
    assertThat(requestTimeout(site("{domains: [chat.example.com], websocket: true}")))
        .isEqualTo(10);
    assertThat(
            requestTimeout(
                site(
                    "{domains: [chat.example.com], websocket: true, websocket_drain_seconds: 30}")))
        .isEqualTo(30);
    assertThat(requestTimeout(site("{domains: [chat.example.com]}"))).isEqualTo(120);
  }

  @Test
  void aDrainWithoutWebSockets_orOutOfRange_isRefused() {
    CompileResult without =
        compiler.compile(
            site("{domains: [chat.example.com], websocket_drain_seconds: 5}"), "chat.yaml");
    CompileResult tooLong =
        compiler.compile(
            site("{domains: [chat.example.com], websocket: true, websocket_drain_seconds: 601}"),
            "chat.yaml");

    assertThat(without.errors())
        .extracting(ManifestError::getReason)
        .containsExactly("websocket_drain_seconds needs websocket: true");
    assertThat(tooLong.errors())
        .extracting(ManifestError::getField)
        .containsExactly("stack.site.websocket_drain_seconds");
  }
}
