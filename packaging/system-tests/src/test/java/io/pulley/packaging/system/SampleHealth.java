package io.pulley.packaging.system;

/**
 * Edits of the sample's {@code views.py} that make its health check fail on purpose, and undo it:
 * how the system tests make a release that the handover must refuse.
 */
final class SampleHealth {
  static final String VIEWS = "pulley_sample/views.py";

  private static final String HEALTHY = "    return Response(\"ok\", content_type=\"text/plain\")";
  private static final String FAILING =
      "    return Response(\"broken\", status=503, content_type=\"text/plain\")";
  // nginx passes DOCUMENT_ROOT on; a request to the release's own socket has none.
  private static final String FAILING_BEHIND_SITE =
      "    if \"DOCUMENT_ROOT\" in request.environ:\n"
          + "        return Response(\"broken\", status=503, content_type=\"text/plain\")\n"
          + HEALTHY;

  private SampleHealth() {}

  /** The views with a health check that always answers 503. */
  static String failing(String views) {
    return replaced(views, HEALTHY, FAILING);
  }

  /** The views with a health check healthy on the release's own socket and 503 through nginx. */
  static String failingBehindSite(String views) {
    return replaced(views, FAILING, FAILING_BEHIND_SITE);
  }

  /** The views with the health check as the sample ships it. */
  static String healthy(String views) {
    return views.replace(FAILING_BEHIND_SITE, HEALTHY).replace(FAILING, HEALTHY);
  }

  // A sample whose text moved on would otherwise give a "broken" release that is healthy.
  private static String replaced(String views, String from, String to) {
    if (!views.contains(from)) {
      throw new IllegalStateException(VIEWS + " no longer has the line: " + from.strip());
    }
    return views.replace(from, to);
  }
}
