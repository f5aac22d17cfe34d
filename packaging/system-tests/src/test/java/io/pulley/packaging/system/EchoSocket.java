package io.pulley.packaging.system;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A real WebSocket client (the JDK's) on a site's echo endpoint through nginx: it sends a text and
 * waits for the answer. Needs the system property jdk.httpclient.allowRestrictedHeaders=host (set
 * by the failsafe configuration) to name the site.
 */
final class EchoSocket implements AutoCloseable {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final WebSocket socket;
  private final BlockingQueue<String> messages;
  private final CompletableFuture<String> ended;

  private EchoSocket(
      WebSocket socket, BlockingQueue<String> messages, CompletableFuture<String> ended) {
    this.socket = socket;
    this.messages = messages;
    this.ended = ended;
  }

  static EchoSocket open(String address, String site, String path) throws Exception {
    BlockingQueue<String> messages = new LinkedBlockingQueue<>();
    CompletableFuture<String> ended = new CompletableFuture<>();
    WebSocket.Listener listener =
        new WebSocket.Listener() {
          private final StringBuilder partial = new StringBuilder();

          @Override
          public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
              messages.add(partial.toString());
              partial.setLength(0);
            }
            ws.request(1);
            return null;
          }

          @Override
          public CompletionStage<?> onClose(WebSocket ws, int status, String reason) {
            ended.complete("closed " + status);
            return null;
          }

          @Override
          public void onError(WebSocket ws, Throwable error) {
            ended.complete("error " + error);
          }
        };
    WebSocket socket =
        HttpClient.newBuilder()
            .connectTimeout(TIMEOUT)
            .build()
            .newWebSocketBuilder()
            .header("Host", site)
            .connectTimeout(TIMEOUT)
            .buildAsync(URI.create("ws://" + address + path), listener)
            .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    return new EchoSocket(socket, messages, ended);
  }

  /** Sends {@code text} and returns the answer. */
  String ask(String text) throws Exception {
    socket.sendText(text, true).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    String answer = messages.poll(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    if (answer == null) {
      throw new TimeoutException("no answer to " + text + " within " + TIMEOUT);
    }
    return answer;
  }

  /**
   * How the connection ended ("closed 1006", "error …"), waiting at most {@code atMost}; empty if
   * it is still open then.
   */
  Optional<String> awaitEnd(Duration atMost) throws Exception {
    try {
      return Optional.of(ended.get(atMost.toSeconds(), TimeUnit.SECONDS));
    } catch (TimeoutException e) {
      return Optional.empty();
    }
  }

  /** For a failure's message: the answer to {@code text}, or why there was none. */
  String answerOrWhyNot(String text) {
    try {
      return ask(text);
    } catch (Exception e) {
      return "no answer: " + e;
    }
  }

  @Override
  public void close() {
    socket.abort();
  }
}
