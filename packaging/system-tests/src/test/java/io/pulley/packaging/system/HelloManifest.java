package io.pulley.packaging.system;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The example application as servers get it: a directory, a file and a Git release. */
final class HelloManifest {
  private HelloManifest() {}

  static Path write(Path dir, String repositoryUrl, String greeting) throws IOException {
    String yaml =
        """
        application: hello
        environment: system
        hosts:
          labels:
            role: web
        resources:
          - directory:
              path: /srv/hello
              mode: "0755"
          - file:
              path: /srv/hello/greeting.txt
              content: "%s"
              mode: "0644"
          - git_release:
              root: /srv/hello/app
              url: %s
              ref: main
              keep: 3
        """
            .formatted(greeting, repositoryUrl);
    return Files.writeString(dir.resolve("hello.yaml"), yaml);
  }
}
