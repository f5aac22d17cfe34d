package io.pulley.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A client that starts an HTTP request and then sends one byte a second, never finishing it: the
 * "slowloris" that holds a listener's thread unless the listener limits how long a request may
 * take. Close it when done.
 */
public final class SlowClient implements AutoCloseable {
  private final Socket socket;
  private final Thread dribbler;

  private SlowClient(Socket socket) {
    this.socket = socket;
    this.dribbler = new Thread(this::dribble, "slow-client");
    dribbler.setDaemon(true);
    dribbler.start();
  }

  /** Connects to {@code 127.0.0.1:port} and starts dribbling a request for {@code path}. */
  public static SlowClient open(int port, String path) {
    try {
      Socket socket = new Socket("127.0.0.1", port);
      OutputStream out = socket.getOutputStream();
      out.write(
          ("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n").getBytes(StandardCharsets.UTF_8));
      out.flush();
      return new SlowClient(socket);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void dribble() {
    try {
      OutputStream out = socket.getOutputStream();
      out.write("X-Slow: ".getBytes(StandardCharsets.US_ASCII));
      while (!Thread.currentThread().isInterrupted()) {
        out.write('a');
        out.flush();
        Thread.sleep(1000);
      }
    } catch (IOException e) {
      // The server hung up: what the test waits for.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * True if the server closes the connection within {@code timeout} (a generous bound, only against
   * hanging): the end of the stream or a reset, without an answer being needed.
   */
  public boolean awaitDisconnected(Duration timeout) {
    try {
      socket.setSoTimeout((int) timeout.toMillis());
      InputStream in = socket.getInputStream();
      while (in.read() != -1) {
        // An error answer (408, 400) may come before the close; read on.
      }
      return true;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      return true;
    }
  }

  @Override
  public void close() {
    dribbler.interrupt();
    try {
      socket.close();
    } catch (IOException e) {
      // Already closed by the server.
    }
  }
}
