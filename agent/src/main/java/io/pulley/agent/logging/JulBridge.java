package io.pulley.agent.logging;

import org.slf4j.bridge.SLF4JBridgeHandler;

/** Routes java.util.logging (which gRPC and netty use) into SLF4J, so every log is one line. */
public final class JulBridge {
  private JulBridge() {}

  /** Idempotent; call first thing in main. */
  public static synchronized void install() {
    if (!SLF4JBridgeHandler.isInstalled()) {
      SLF4JBridgeHandler.removeHandlersForRootLogger();
      SLF4JBridgeHandler.install();
    }
  }
}
