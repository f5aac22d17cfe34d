package io.pulley.controller.server;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A gRPC client that is not Pulley's: Debian's python3-grpcio running {@code call_all.py}, with raw
 * request bytes and no generated code, so nothing of ours helps it or hides what the controller
 * answers (Debian's interpreter by its path: another python3 on the PATH may lack grpcio). Each
 * call's outcome is the gRPC status code's name ("OK" or e.g. "UNAUTHENTICATED").
 */
final class ForeignClient {
  private final Path script;
  private final int port;

  ForeignClient(Path workDir, int port) throws IOException {
    this.script = workDir.resolve("call_all.py");
    try (var in = ForeignClient.class.getResourceAsStream("/foreign-client/call_all.py")) {
      Files.write(script, in.readAllBytes());
    }
    this.port = port;
  }

  /** One call: a full method name and its request's bytes. */
  record Call(String method, byte[] request, boolean held) {
    static Call of(String method, byte[] request) {
      return new Call(method, request, false);
    }
  }

  /** How the client connects: plaintext, TLS with a CA, and a client certificate or none. */
  record Identity(String caPem, String certificatePem, String keyPem) {
    static final Identity PLAINTEXT = new Identity(null, null, null);

    static Identity anonymous(String caPem) {
      return new Identity(caPem, null, null);
    }
  }

  /** Makes {@code calls} as {@code identity}; the outcome of each, by method, in order. */
  Map<String, String> call(Identity identity, List<Call> calls)
      throws IOException, InterruptedException {
    return call(identity, calls, () -> {});
  }

  /**
   * As {@link #call(Identity, List)}; the held calls are started first, then {@code meanwhile} runs
   * while they are open, then every outcome is collected.
   */
  Map<String, String> call(Identity identity, List<Call> calls, Runnable meanwhile)
      throws IOException, InterruptedException {
    Process python =
        new ProcessBuilder("/usr/bin/python3", script.toString())
            .redirectErrorStream(false)
            .start();
    List<String> lines = new ArrayList<>();
    try (Writer in = new OutputStreamWriter(python.getOutputStream(), StandardCharsets.UTF_8);
        BufferedReader out =
            new BufferedReader(
                new InputStreamReader(python.getInputStream(), StandardCharsets.UTF_8))) {
      in.write(job(identity, calls) + "\n");
      in.flush();
      if (calls.stream().anyMatch(Call::held)) {
        String started = out.readLine();
        if (!"STARTED".equals(started)) {
          throw new IllegalStateException(
              "the foreign client did not start: " + started + stderr(python));
        }
        meanwhile.run();
        in.write("\n");
        in.flush();
      }
      for (String line = out.readLine(); line != null; line = out.readLine()) {
        lines.add(line);
      }
    }
    if (!python.waitFor(60, TimeUnit.SECONDS) || python.exitValue() != 0) {
      python.destroyForcibly();
      throw new IllegalStateException("the foreign client failed:" + stderr(python));
    }
    Map<String, String> outcomes = new LinkedHashMap<>();
    for (String line : lines) {
      int space = line.lastIndexOf(' ');
      outcomes.put(line.substring(0, space), line.substring(space + 1));
    }
    return outcomes;
  }

  private String job(Identity identity, List<Call> calls) {
    StringBuilder json = new StringBuilder("{\"target\": \"127.0.0.1:" + port + "\"");
    json.append(", \"authority\": \"localhost\"");
    json.append(", \"ca\": ").append(string(identity.caPem()));
    json.append(", \"cert\": ").append(string(identity.certificatePem()));
    json.append(", \"key\": ").append(string(identity.keyPem()));
    json.append(", \"calls\": [");
    for (int i = 0; i < calls.size(); i++) {
      Call call = calls.get(i);
      json.append(i == 0 ? "" : ", ")
          .append("{\"method\": ")
          .append(string(call.method()))
          .append(", \"request\": ")
          .append(string(java.util.HexFormat.of().formatHex(call.request())))
          .append(", \"held\": ")
          .append(call.held())
          .append("}");
    }
    return json.append("]}").toString();
  }

  /** A JSON string; PEM text holds newlines, nothing else needs escaping. */
  private static String string(String value) {
    return value == null ? "null" : "\"" + value.replace("\n", "\\n") + "\"";
  }

  private static String stderr(Process python) {
    try {
      return "\n" + new String(python.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }
}
