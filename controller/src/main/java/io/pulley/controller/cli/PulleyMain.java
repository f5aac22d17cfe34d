package io.pulley.controller.cli;

/** Entry point of {@code pulley} and {@code pulley-controller}. */
public final class PulleyMain {
  private PulleyMain() {}

  public static void main(String[] args) {
    System.out.println("pulley");
  }
}
