package io.pulley.wire;

/**
 * Every size limit of the wire contract, in one place, each with why it is that number. The
 * controller, the agent and the CLI all read them from here, so the two ends of a call agree.
 */
public final class WireLimits {
  private static final int KIB = 1024;
  private static final int MIB = 1024 * KIB;

  /**
   * The largest message the controller accepts. The largest request is a manifest, whose text the
   * compiler refuses above 1 MiB with a clear error; 4 MiB (gRPC's own default) lets such a
   * manifest arrive and be refused by the compiler, not by the transport.
   */
  public static final int MAX_SERVER_INBOUND_BYTES = 4 * MIB;

  /** Request headers (the actor, the host id, tracing): a few hundred bytes in practice. */
  public static final int MAX_INBOUND_METADATA_BYTES = 16 * KIB;

  /** Time for a client to finish the TLS and HTTP/2 handshake before the controller hangs up. */
  public static final int HANDSHAKE_TIMEOUT_SECONDS = 20;

  /**
   * Calls at once on one connection. An agent holds one poll and sends one report; the CLI makes
   * one call; 100 leaves room for a load balancer multiplexing many clients.
   */
  public static final int MAX_CONCURRENT_CALLS_PER_CONNECTION = 100;

  /**
   * The largest message the agent and the CLI accept. A plan holds every resource of every
   * application on a host, inline files included: several manifests' worth, so eight times one.
   */
  public static final int MAX_CLIENT_INBOUND_BYTES = 32 * MIB;

  /**
   * How long an agent waits for a held poll. A silently dead connection is noticed within this, and
   * every hold the controller may be set to must end before it.
   */
  public static final int AGENT_POLL_DEADLINE_SECONDS = 90;

  /**
   * The longest poll hold a controller can be set to: held up to 7/6 of it (the jitter), 84 s, and
   * its answer still reaches the agent 6 s before {@link #AGENT_POLL_DEADLINE_SECONDS}. With a
   * longer one, the longest jittered holds outlast that deadline, and agents count the controller
   * as unreachable and back off.
   */
  public static final int MAX_POLL_HOLD_SECONDS = 72;

  /**
   * The longest hold an agent can ask for in its poll: ten minutes of a connection that carries
   * nothing else. Asked for more, the controller holds this long.
   */
  public static final int MAX_ASKED_POLL_HOLD_SECONDS = 600;

  /** An apply report, serialized: refused above this. Hundreds of results with full tails fit. */
  public static final int MAX_REPORT_BYTES = MIB;

  /** Resource results in one report: refused above this. The largest plans have a few hundred. */
  public static final int MAX_REPORT_RESULTS = 2000;

  /** Revisions a report names (one per application on the host): refused above this. */
  public static final int MAX_REPORT_REVISIONS = 256;

  /** A name in a report (host, plan, application, environment, resource id): refused above this. */
  public static final int MAX_NAME_CHARS = 256;

  /** A result's reason or drift: cut beyond this with a marker. One screen of text. */
  public static final int MAX_REASON_CHARS = 4 * KIB;

  /** A command's output tail: cut beyond this with a marker; report.proto promises 4 KiB. */
  public static final int MAX_OUTPUT_TAIL_CHARS = 4 * KIB;

  /** A host fact or label: cut beyond this with a marker. Facts are short words. */
  public static final int MAX_FACT_CHARS = 256;

  /** Labels a host may send: more are dropped. Manifests select by a handful. */
  public static final int MAX_LABELS = 64;

  /** The failure reason shown in a host's summary (`pulley status`): one table cell. */
  public static final int MAX_SUMMARY_REASON_CHARS = 200;

  private WireLimits() {}
}
