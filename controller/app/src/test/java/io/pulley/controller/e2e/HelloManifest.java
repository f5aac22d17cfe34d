package io.pulley.controller.e2e;

import java.nio.file.Path;

/** The example application's manifest, with its paths under a test's temporary root. */
final class HelloManifest {
  private HelloManifest() {}

  static String yaml(String application, Path root, String repositoryUrl, String greeting) {
    Path app = root.resolve(application);
    return """
        application: %1$s
        environment: test
        hosts:
          labels:
            role: web
        resources:
          - directory:
              path: %2$s
              mode: 0755
          - file:
              path: %2$s/greeting.txt
              content: "%3$s"
              mode: "0640"
          - git_release:
              root: %2$s/app
              url: %4$s
              ref: main
              keep: 2
          - id: mark-installed
            command:
              argv: [/usr/bin/touch, %2$s/.installed]
              creates: %2$s/.installed
        """
        .formatted(application, app, greeting, repositoryUrl);
  }
}
