package io.pulley.controller.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;

/**
 * TLS records written by hand, for what the JDK's own client will not send: a TLS 1.1 ClientHello
 * (the runtime disables 1.1 on both ends, so only bytes show that the listener refuses it itself),
 * and a ClientHello that is never finished.
 */
final class RawHandshakes {
  private RawHandshakes() {}

  /** A ClientHello of TLS 1.1, without extensions, offering two ECDHE suites 1.1 knows. */
  static byte[] tls11ClientHello() {
    return clientHello(0x02);
  }

  /** The same ClientHello as TLS 1.2 says it: that the form is sound, the version aside. */
  static byte[] tls12ClientHello() {
    return clientHello(0x03);
  }

  private static byte[] clientHello(int minorVersion) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.write(0x03); // client_version 3.2 is TLS 1.1, 3.3 TLS 1.2
    body.write(minorVersion);
    body.writeBytes(new byte[32]); // random
    body.write(0); // no session id
    body.writeBytes(new byte[] {0x00, 0x04, (byte) 0xc0, 0x13, (byte) 0xc0, 0x09});
    body.writeBytes(new byte[] {0x01, 0x00}); // compression: null only
    byte[] hello = body.toByteArray();
    ByteArrayOutputStream record = new ByteArrayOutputStream();
    record.writeBytes(new byte[] {0x16, 0x03, (byte) minorVersion}); // a handshake record
    record.writeBytes(uint16(hello.length + 4));
    record.write(0x01); // ClientHello
    record.write(0);
    record.writeBytes(uint16(hello.length));
    record.writeBytes(hello);
    return record.toByteArray();
  }

  /**
   * Connects and sends the first bytes of a 512-byte ClientHello record, then nothing: the server's
   * read of the rest blocks until the server gives up on it.
   */
  static Socket stalledClientHello(int port) throws IOException {
    Socket socket = new Socket("127.0.0.1", port);
    OutputStream out = socket.getOutputStream();
    out.write(new byte[] {0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00});
    out.flush();
    return socket;
  }

  private static byte[] uint16(int value) {
    return new byte[] {(byte) (value >> 8), (byte) value};
  }
}
