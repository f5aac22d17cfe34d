package io.pulley.agent.apply.health;

/**
 * Lets health checks send the site's Host header: they ask 127.0.0.1 with it, and the JDK's HTTP
 * client refuses to send Host unless a system property allows it, which it reads once, when its
 * first class loads. So this runs first thing in the JVM that applies (the apply process's main).
 */
public final class HostHeaders {
  private HostHeaders() {}

  public static void allow() {
    System.setProperty("jdk.httpclient.allowRestrictedHeaders", "host");
  }
}
