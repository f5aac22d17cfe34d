package io.pulley.controller.manifest;

import java.util.ArrayList;
import java.util.List;

/** A resolver that answers every ref with one commit and remembers what it was asked. */
final class FixedRefResolver implements GitRefResolver {

  static final String COMMIT = "0123456789abcdef0123456789abcdef01234567";

  final List<String> asked = new ArrayList<>();

  @Override
  public synchronized RefResolution resolve(String url, String ref) {
    asked.add(url + " " + ref);
    return RefResolution.resolved(COMMIT);
  }
}
