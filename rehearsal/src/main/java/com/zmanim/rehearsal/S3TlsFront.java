package com.zmanim.rehearsal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;

/**
 * HTTPS in front of moto's S3 for pgBackRest, which talks to S3 over TLS only. The harness makes
 * its own certificate authority per world (openssl; the key never leaves the world's scratch
 * folder) and a server certificate for the bridge's host address; each instance trusts the
 * authority through its CA bundle, so the repository's TLS is verified as on AWS, not switched off.
 * Bytes are relayed to moto unchanged (one moto, one state for every client). {@link #pause()}
 * makes S3 unreachable for pgBackRest (connections refused, open ones cut) while moto keeps its
 * state; {@link #resume()} brings it back.
 */
public final class S3TlsFront implements AutoCloseable {
  public static final int PORT = 5443;
  private static final String STORE_PASSWORD = "rehearsal";

  private final String host;
  private final InetSocketAddress backend;
  private final SSLContext tls;
  private final String caPem;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private volatile ServerSocket server;
  private volatile boolean closed;

  public S3TlsFront(Path dir, String host, int motoPort) {
    this.host = host;
    this.backend = new InetSocketAddress(host, motoPort);
    try {
      Files.createDirectories(dir);
      makeCertificates(dir, host);
      caPem = Files.readString(dir.resolve("ca.pem"));
      KeyStore ks = KeyStore.getInstance("PKCS12");
      try (InputStream in = Files.newInputStream(dir.resolve("server.p12"))) {
        ks.load(in, STORE_PASSWORD.toCharArray());
      }
      KeyManagerFactory kmf =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(ks, STORE_PASSWORD.toCharArray());
      tls = SSLContext.getInstance("TLS");
      tls.init(kmf.getKeyManagers(), null, null);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException("cannot load the rehearsal's TLS certificate", e);
    }
    Servers.requireFree("the S3 TLS front", host, PORT);
    resume();
  }

  static void makeCertificates(Path dir, String host) {
    Duration t = Duration.ofSeconds(30);
    String d = dir.toString();
    Cmd.ok(
        t,
        "openssl",
        "req",
        "-x509",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:P-256",
        "-nodes",
        "-keyout",
        d + "/ca.key",
        "-out",
        d + "/ca.pem",
        "-days",
        "3",
        "-subj",
        "/CN=zmanim rehearsal CA",
        "-addext",
        "basicConstraints=critical,CA:TRUE",
        "-addext",
        "keyUsage=critical,keyCertSign,cRLSign");
    Cmd.ok(
        t,
        "openssl",
        "req",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:P-256",
        "-nodes",
        "-keyout",
        d + "/server.key",
        "-out",
        d + "/server.csr",
        "-subj",
        "/CN=" + host);
    try {
      // pgBackRest matches the host against the certificate's DNS names (not IP entries): both.
      Files.writeString(
          dir.resolve("server.ext"),
          "subjectAltName=DNS:"
              + host
              + ",IP:"
              + host
              + "\nbasicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Cmd.ok(
        t,
        "openssl",
        "x509",
        "-req",
        "-in",
        d + "/server.csr",
        "-CA",
        d + "/ca.pem",
        "-CAkey",
        d + "/ca.key",
        "-CAcreateserial",
        "-out",
        d + "/server.pem",
        "-days",
        "3",
        "-extfile",
        d + "/server.ext");
    Cmd.ok(
        t,
        "openssl",
        "pkcs12",
        "-export",
        "-in",
        d + "/server.pem",
        "-inkey",
        d + "/server.key",
        "-certfile",
        d + "/ca.pem",
        "-out",
        d + "/server.p12",
        "-passout",
        "pass:" + STORE_PASSWORD);
  }

  /** The authority's certificate (PEM), for the instances' CA bundle. */
  public String caPem() {
    return caPem;
  }

  /** The endpoint pgBackRest is given (contract §2, ZMANIM_PGBACKREST_S3_ENDPOINT). */
  public String endpoint() {
    return "https://" + host + ":" + PORT;
  }

  /** S3 unreachable over TLS: new connections refused, open ones cut. moto and its state stay. */
  public synchronized void pause() {
    ServerSocket s = server;
    server = null;
    if (s != null) {
      try {
        s.close();
      } catch (IOException ignored) {
        // closing
      }
    }
    for (Socket c : List.copyOf(open)) {
      closeQuietly(c);
    }
  }

  public synchronized boolean paused() {
    return server == null;
  }

  /** Accepts connections again (on the same address and port). */
  public synchronized void resume() {
    if (server != null || closed) {
      return;
    }
    try {
      SSLServerSocket s = (SSLServerSocket) tls.getServerSocketFactory().createServerSocket();
      // TLS 1.3: its close_notify can end one direction alone (see pump), as HTTP needs.
      s.setEnabledProtocols(new String[] {"TLSv1.3"});
      s.setReuseAddress(true);
      s.bind(new InetSocketAddress(InetAddress.getByName(host), PORT), 64);
      server = s;
      Thread.ofPlatform().daemon().name("s3-tls-accept").start(() -> accept(s));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen on " + host + ":" + PORT, e);
    }
  }

  private void accept(ServerSocket s) {
    while (!s.isClosed()) {
      try {
        Socket client = s.accept();
        Thread.ofVirtual().start(() -> relay(client));
      } catch (IOException e) {
        return; // closed by pause() or close()
      }
    }
  }

  private void relay(Socket client) {
    open.add(client);
    try (client;
        Socket up = new Socket()) {
      client.setSoTimeout(300_000);
      up.connect(backend, 2000);
      open.add(up);
      Thread back = Thread.ofVirtual().start(() -> pump(up, client));
      pump(client, up);
      back.join();
    } catch (IOException | InterruptedException e) {
      // a client that went away, or pause(): nothing to keep
    } finally {
      open.remove(client);
    }
  }

  /**
   * Copies one direction until its end, then ends that direction only (half-close): moto answers
   * "Connection: close" and closes; the client must get the TLS close_notify for it, not a cut
   * connection (OpenSSL 3 reports an EOF without close_notify as an error, and pgBackRest fails the
   * request). The relay closes both sockets once both directions ended.
   */
  private void pump(Socket from, Socket to) {
    byte[] buf = new byte[64 * 1024];
    try {
      InputStream in = from.getInputStream();
      OutputStream out = to.getOutputStream();
      int n;
      while ((n = in.read(buf)) >= 0) {
        out.write(buf, 0, n);
        out.flush();
      }
      to.shutdownOutput();
    } catch (IOException e) {
      // cut (pause(), a reset): end both directions
      closeQuietly(from);
      closeQuietly(to);
    }
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException ignored) {
      // closing
    }
  }

  @Override
  public synchronized void close() {
    closed = true;
    pause();
  }
}
