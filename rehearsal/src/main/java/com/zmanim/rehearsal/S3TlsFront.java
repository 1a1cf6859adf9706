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
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;

/**
 * HTTPS in front of moto's S3 for pgBackRest, which talks to S3 over TLS only, with a certificate
 * for the bridge's host address from the world's own authority ({@link Certificates}); each
 * instance trusts the authority through its CA bundle, so the repository's TLS is verified as on
 * AWS, not switched off. Bytes are relayed to moto unchanged (one moto, one state for every
 * client). {@link #pause()} makes S3 unreachable for pgBackRest (connections refused, open ones
 * cut) while moto keeps its state; {@link #resume()} brings it back.
 */
public final class S3TlsFront implements AutoCloseable {
  public static final int PORT = 5443;

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
    Certificates.make(dir, host);
    tls = Certificates.serverContext(dir);
    try {
      caPem = Files.readString(dir.resolve("ca.pem"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Servers.requireFree("the S3 TLS front", host, PORT);
    resume();
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
