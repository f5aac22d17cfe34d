package io.pulley.agent.apply.process;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link CommandRunner} for tests of executors that change the system (apt, useradd, systemctl):
 * it runs nothing, records every invocation, and answers from a script. A command matches the
 * answer registered for the longest prefix of its argument line; several answers for one prefix are
 * given in turn, the last one repeatedly. Unscripted commands exit 0 silently.
 */
public final class RecordingRunner implements CommandRunner {
  private final List<Invocation> calls = new ArrayList<>();
  private final Map<String, Deque<Result>> answers = new LinkedHashMap<>();

  /**
   * Answers commands whose argument line starts with {@code prefix} with {@code results}, in turn;
   * replaces an earlier answer for the same prefix.
   */
  public RecordingRunner answer(String prefix, Result... results) {
    answers.put(prefix, new ArrayDeque<>(List.of(results)));
    return this;
  }

  /** Answers {@code prefix} with an exit status and output. */
  public RecordingRunner answer(String prefix, int exitCode, String output) {
    return answer(prefix, Result.exited(exitCode, output));
  }

  @Override
  public synchronized Result run(Invocation invocation) {
    calls.add(invocation);
    String line = invocation.display();
    String best = null;
    for (String prefix : answers.keySet()) {
      if (line.startsWith(prefix) && (best == null || prefix.length() > best.length())) {
        best = prefix;
      }
    }
    if (best == null) {
      return Result.exited(0, "");
    }
    Deque<Result> queue = answers.get(best);
    return queue.size() > 1 ? queue.poll() : queue.peek();
  }

  /** Every invocation so far. */
  public synchronized List<Invocation> calls() {
    return List.copyOf(calls);
  }

  /** Every argument line so far, in order. */
  public synchronized List<String> lines() {
    return calls.stream().map(Invocation::display).toList();
  }

  /** The argument lines that change something: not getent, dpkg-query, systemctl is-* or list-*. */
  public synchronized List<String> changes() {
    return lines().stream()
        .filter(l -> !l.startsWith("getent ") && !l.startsWith("dpkg-query "))
        .filter(l -> !l.startsWith("systemctl is-") && !l.startsWith("systemctl list-"))
        .filter(l -> !l.startsWith("journalctl "))
        .toList();
  }
}
