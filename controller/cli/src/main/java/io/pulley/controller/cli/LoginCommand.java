package io.pulley.controller.cli;

import com.google.protobuf.ByteString;
import io.grpc.StatusRuntimeException;
import io.pulley.trust.BootstrapToken;
import io.pulley.trust.CertificateRequests;
import io.pulley.trust.ClientTls;
import io.pulley.trust.CredentialFiles;
import io.pulley.trust.Credentials;
import io.pulley.trust.Identity;
import io.pulley.trust.KeyPairs;
import io.pulley.trust.Pem;
import io.pulley.trust.TrustException;
import io.pulley.v1.AccessServiceGrpc;
import io.pulley.v1.EnrolRequest;
import io.pulley.v1.EnrolResponse;
import io.pulley.v1.EnrolServiceGrpc;
import io.pulley.v1.EnrolStatus;
import io.pulley.v1.WhoAmIRequest;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Trades an admin token ({@code pulley admins invite}) for a client certificate: the key is made
 * here and stays in the credentials directory; the controller decides the name from the token.
 */
@Command(
    name = "login",
    description =
        "Enrol this CLI with an admin token read from --token-file, else $PULLEY_TOKEN, else"
            + " standard input; saves your key and certificate and remembers the controller.")
final class LoginCommand implements Callable<Integer> {
  private static final long DEADLINE_SECONDS = 30;

  @Spec CommandSpec spec;

  @Option(names = "--token-file", paramLabel = "FILE", description = "Holds the admin token")
  Path tokenFile;

  @Option(
      names = "--name",
      paramLabel = "NAME",
      description =
          "The name to ask for (default admin); the controller names you from the token anyway")
  String name = "admin";

  @Override
  public Integer call() {
    PulleyMain root = (PulleyMain) spec.root().userObject();
    ClientSettings settings = root.settings();
    if (settings.insecure()) {
      throw new CliException(
          "login enrols over TLS; an --insecure controller needs no credentials", ExitCodes.USAGE);
    }
    BootstrapToken token;
    try {
      token = BootstrapToken.parse(tokenText(root));
    } catch (TrustException e) {
      throw new CliException("the admin token: " + e.getMessage(), ExitCodes.USAGE);
    }
    KeyPair keys = KeyPairs.generate();
    EnrolResponse response = enrol(settings.controller(), token, keys);
    X509Certificate certificate;
    X509Certificate ca;
    try {
      certificate = Pem.certificate(response.getCertificate().toByteArray());
      ca = Pem.certificate(response.getCaCertificate().toByteArray());
      if (!token.pin().matches(ca)) {
        throw new TrustException("its CA does not match the token's pin " + token.pin());
      }
      ControllerConnection.checkIssued(certificate, ca, keys);
    } catch (TrustException e) {
      throw new CliException(
          "the controller's answer is unusable: " + e.getMessage(), ExitCodes.FAILED);
    }
    Credentials credentials = new Credentials(keys.getPrivate(), certificate, ca);
    save(settings, credentials);
    settings.saveController();
    out()
        .println(
            "logged in to "
                + settings.controller()
                + " as "
                + whoAmI(settings.controller(), credentials)
                + "; credentials in "
                + settings.credentials());
    out().flush();
    return ExitCodes.OK;
  }

  /** The token from the file, the environment or standard input; never from a flag. */
  private String tokenText(PulleyMain root) {
    try {
      if (tokenFile != null) {
        return Files.readString(tokenFile, StandardCharsets.UTF_8);
      }
      String fromEnv = root.env.get("PULLEY_TOKEN");
      if (fromEnv != null && !fromEnv.isBlank()) {
        return fromEnv;
      }
      return new String(root.in.readNBytes(4096), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new CliException("cannot read the token: " + e.getMessage(), ExitCodes.USAGE);
    }
  }

  private EnrolResponse enrol(String controller, BootstrapToken token, KeyPair keys) {
    EnrolRequest request =
        EnrolRequest.newBuilder()
            .setToken(token.secretPart())
            .setCertificateRequest(ByteString.copyFrom(CertificateRequests.create(keys, name)))
            .build();
    try {
      EnrolResponse response =
          ControllerConnection.call(
              controller,
              ClientTls.pinned(token.pin()),
              channel ->
                  EnrolServiceGrpc.newBlockingStub(channel)
                      .withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS)
                      .enrol(request));
      if (response.getStatus() != EnrolStatus.ENROL_STATUS_ISSUED) {
        throw new CliException(
            "the controller issued no certificate (" + response.getStatus() + ")",
            ExitCodes.FAILED);
      }
      return response;
    } catch (StatusRuntimeException e) {
      switch (e.getStatus().getCode()) {
        case UNAUTHENTICATED, PERMISSION_DENIED ->
            throw new CliException(
                "the controller refused the token ("
                    + e.getStatus().getDescription()
                    + "): expired, used or deleted? Ask for a new `pulley admins invite`",
                ExitCodes.DENIED);
        default -> throw e;
      }
    }
  }

  private void save(ClientSettings settings, Credentials credentials) {
    try {
      Identity identity = credentials.identity();
      if (identity.kind() != Identity.Kind.ADMIN) {
        throw new CliException(
            "the token is a host token (" + identity + "): give it to pulley-agent",
            ExitCodes.USAGE);
      }
      new CredentialFiles(settings.credentials()).save(credentials);
    } catch (IOException e) {
      throw new CliException(
          "cannot save the credentials in " + settings.credentials() + ": " + e.getMessage(),
          ExitCodes.FAILED);
    }
  }

  /** "admin NAME, role R" as the controller sees it, or the certificate's name if it cannot say. */
  private static String whoAmI(String controller, Credentials credentials) {
    try {
      return ControllerConnection.call(
          controller,
          ClientTls.mutual(credentials),
          channel ->
              WhoAmICommand.describe(
                  AccessServiceGrpc.newBlockingStub(channel)
                      .withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS)
                      .whoAmI(WhoAmIRequest.getDefaultInstance())));
    } catch (StatusRuntimeException e) {
      return credentials.identity().toString();
    }
  }

  private PrintWriter out() {
    return spec.commandLine().getOut();
  }
}
