package io.pulley.agent;

/** Entry point of {@code pulley-agent}. */
public final class AgentMain {
  private AgentMain() {}

  public static void main(String[] args) {
    System.out.println("pulley-agent");
  }
}
