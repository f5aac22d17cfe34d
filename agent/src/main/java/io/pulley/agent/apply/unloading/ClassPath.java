package io.pulley.agent.apply.unloading;

import java.io.File;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The class path this JVM was started with (the agent's jar), as a class loader takes it. */
final class ClassPath {
  private ClassPath() {}

  static URL[] ofThisJvm() {
    return parse(System.getProperty("java.class.path", ""), File.pathSeparatorChar);
  }

  static URL[] parse(String classPath, char separator) {
    List<URL> urls = new ArrayList<>();
    int start = 0;
    while (start <= classPath.length()) {
      int end = classPath.indexOf(separator, start);
      if (end < 0) {
        end = classPath.length();
      }
      if (end > start) {
        urls.add(url(classPath.substring(start, end)));
      }
      start = end + 1;
    }
    return urls.toArray(URL[]::new);
  }

  private static URL url(String entry) {
    try {
      return Path.of(entry).toAbsolutePath().toUri().toURL();
    } catch (MalformedURLException e) {
      throw new UncheckedIOException("not a class path entry: " + entry, e);
    }
  }
}
