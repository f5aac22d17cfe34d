package io.pulley.agent.apply.postgres;

import io.pulley.agent.apply.process.ProgramRunner;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/** A {@link Psql} that records scripts and answers with queued results. */
final class FakePsql implements Psql {
  final List<String> scripts = new ArrayList<>();
  private final Deque<ProgramRunner.Result> answers = new ArrayDeque<>();

  FakePsql answer(String stdout) {
    answers.add(new ProgramRunner.Result(0, false, stdout, "", ""));
    return this;
  }

  FakePsql fail(String stderr) {
    answers.add(new ProgramRunner.Result(3, false, "", stderr, ""));
    return this;
  }

  @Override
  public ProgramRunner.Result run(String script) {
    scripts.add(script);
    if (answers.isEmpty()) {
      throw new IllegalStateException("no answer queued for script " + scripts.size());
    }
    return answers.removeFirst();
  }
}
