package io.pulley.agent.apply.forked;

import io.pulley.wire.WireLimits;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What the agent sends the apply process on its standard input: where it may write, its data dir,
 * the controller's address, where to write the run, and the plan. Through a pipe, never the command
 * line: plans carry rendered configuration files, secrets among them.
 *
 * @param run the file the apply process writes its run to ({@link io.pulley.agent.apply.RunBytes})
 * @param plan the host plan's bytes, parsed by the apply process
 */
public record ApplyRequest(
    List<Path> allowedRoots, Path dataDir, String controller, Path run, byte[] plan) {
  /** Changed whenever the layout below changes: the agent and its apply process share one jar. */
  private static final int VERSION = 1;

  private static final int MAX_ROOTS = 256;

  public ApplyRequest {
    allowedRoots = List.copyOf(allowedRoots);
    plan = plan.clone();
  }

  @Override
  public byte[] plan() {
    return plan.clone();
  }

  public void writeTo(OutputStream stream) throws IOException {
    DataOutputStream out = new DataOutputStream(stream);
    out.writeInt(VERSION);
    out.writeInt(allowedRoots.size());
    for (Path root : allowedRoots) {
      out.writeUTF(root.toString());
    }
    out.writeUTF(dataDir.toString());
    out.writeUTF(controller);
    out.writeUTF(run.toString());
    out.writeInt(plan.length);
    out.write(plan);
    out.flush();
  }

  /**
   * Reads one request.
   *
   * @throws IOException if the stream ends early or holds no request of this version
   */
  public static ApplyRequest readFrom(InputStream stream) throws IOException {
    DataInputStream in = new DataInputStream(stream);
    int version = in.readInt();
    if (version != VERSION) {
      throw new IOException("an apply request of version " + version + ", not " + VERSION);
    }
    int roots = bounded(in.readInt(), MAX_ROOTS, "allowed roots");
    List<Path> allowedRoots = new ArrayList<>(roots);
    for (int i = 0; i < roots; i++) {
      allowedRoots.add(Path.of(in.readUTF()));
    }
    Path dataDir = Path.of(in.readUTF());
    String controller = in.readUTF();
    Path run = Path.of(in.readUTF());
    byte[] plan =
        new byte[bounded(in.readInt(), WireLimits.MAX_CLIENT_INBOUND_BYTES, "plan bytes")];
    in.readFully(plan);
    return new ApplyRequest(allowedRoots, dataDir, controller, run, plan);
  }

  private static int bounded(int count, int most, String what) throws IOException {
    if (count < 0 || count > most) {
      throw new IOException("an apply request with " + count + " " + what + ", at most " + most);
    }
    return count;
  }
}
