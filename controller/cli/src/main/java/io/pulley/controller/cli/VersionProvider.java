package io.pulley.controller.cli;

import picocli.CommandLine.IVersionProvider;

/** The version from the jar's manifest, or "dev" when run from classes. */
final class VersionProvider implements IVersionProvider {
  @Override
  public String[] getVersion() {
    String version = PulleyMain.class.getPackage().getImplementationVersion();
    return new String[] {"pulley " + (version == null ? "dev" : version)};
  }
}
