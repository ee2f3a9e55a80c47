package io.github.syscontainers.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * For {@link Training} only: the one image of a small oci-archive served on 127.0.0.1 as a registry serves it (the
 * version check, the manifest by tag, HEAD and GET, and blobs by digest, over plain HTTP with keep-alive), so that a
 * pull from it loads the registry client's classes into the start-up cache as a real pull does. Answers a TLS
 * ClientHello with a plain-HTTP 400, as docker-registry does. Not a registry: nothing else is served, nothing stored.
 */
final class TrainingRegistry implements AutoCloseable {
  private final ServerSocket server;
  private final String name;
  private final Map<String, byte[]> blobs = new HashMap<>();
  private final String manifestDigest;
  private final String manifestType;

  private TrainingRegistry(Path ociArchive, String name) throws IOException {
    this.name = name;
    Map<String, byte[]> files = new HashMap<>();
    try (TarArchiveInputStream tar = new TarArchiveInputStream(new BufferedInputStream(Files.newInputStream(ociArchive)))) {
      TarArchiveEntry e;
      while ((e = tar.getNextEntry()) != null) {
        if (e.isFile()) {
          files.put(e.getName().replaceFirst("^\\./", ""), tar.readAllBytes());
        }
      }
    }
    files.forEach((path, data) -> {
      if (path.startsWith("blobs/sha256/")) {
        blobs.put("sha256:" + path.substring("blobs/sha256/".length()), data);
      }
    });
    byte[] index = files.get("index.json");
    if (index == null) {
      throw new IOException(ociArchive + " has no index.json");
    }
    JsonNode top = new ObjectMapper().readTree(index).path("manifests").path(0);
    this.manifestDigest = top.path("digest").asText();
    this.manifestType = top.path("mediaType").asText("application/vnd.oci.image.manifest.v1+json");
    if (!blobs.containsKey(manifestDigest)) {
      throw new IOException(ociArchive + " does not hold its manifest " + manifestDigest);
    }
    this.server = new ServerSocket(0, 16, InetAddress.getLoopbackAddress());
    Thread accept = new Thread(this::acceptAll, "training-registry");
    accept.setDaemon(true);
    accept.start();
  }

  /** Serves the image of {@code ociArchive} as {@code NAME:latest} until closed. */
  static TrainingRegistry serve(Path ociArchive, String name) throws IOException {
    return new TrainingRegistry(ociArchive, name);
  }

  /** The image's reference, for {@code docker://} with {@code --tls-verify=false}. */
  String reference() {
    return "127.0.0.1:" + server.getLocalPort() + "/" + name + ":latest";
  }

  private void acceptAll() {
    while (!server.isClosed()) {
      try {
        Socket s = server.accept();
        Thread t = new Thread(() -> serve(s), "training-registry-connection");
        t.setDaemon(true);
        t.start();
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  private void serve(Socket s) {
    try (s; InputStream in = new BufferedInputStream(s.getInputStream()); OutputStream out = s.getOutputStream()) {
      in.mark(1);
      if (in.read() == 0x16) { // a TLS handshake record: this port speaks plain HTTP
        out.write("HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n"
            .getBytes(StandardCharsets.US_ASCII));
        return;
      }
      in.reset();
      String head;
      while ((head = readHead(in)) != null) {
        String[] requestLine = head.split("\r\n", 2)[0].split(" ");
        if (requestLine.length < 2) {
          return;
        }
        answer(out, requestLine[0], requestLine[1]);
      }
    } catch (IOException e) {
      // the client went away: nothing to do for training
    }
  }

  private void answer(OutputStream out, String method, String path) throws IOException {
    String prefix = "/v2/" + name + "/";
    byte[] body;
    String type;
    String digest = null;
    if (path.equals("/v2/") || path.equals("/v2")) {
      body = "{}".getBytes(StandardCharsets.US_ASCII);
      type = "application/json";
    } else if (path.startsWith(prefix + "manifests/")) {
      String ref = path.substring((prefix + "manifests/").length());
      if (!ref.equals("latest") && !ref.equals(manifestDigest)) {
        notFound(out, method);
        return;
      }
      body = blobs.get(manifestDigest);
      type = manifestType;
      digest = manifestDigest;
    } else if (path.startsWith(prefix + "blobs/") && blobs.containsKey(path.substring((prefix + "blobs/").length()))) {
      digest = path.substring((prefix + "blobs/").length());
      body = blobs.get(digest);
      type = "application/octet-stream";
    } else {
      notFound(out, method);
      return;
    }
    StringBuilder h = new StringBuilder("HTTP/1.1 200 OK\r\n")
        .append("Docker-Distribution-API-Version: registry/2.0\r\n")
        .append("Content-Type: ").append(type).append("\r\n")
        .append("Content-Length: ").append(body.length).append("\r\n");
    if (digest != null) {
      h.append("Docker-Content-Digest: ").append(digest).append("\r\n");
    }
    out.write(h.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
    if (!method.equals("HEAD")) {
      out.write(body);
    }
    out.flush();
  }

  private static void notFound(OutputStream out, String method) throws IOException {
    byte[] body = "{\"errors\":[{\"code\":\"NOT_FOUND\",\"message\":\"not served in training\"}]}"
        .getBytes(StandardCharsets.US_ASCII);
    out.write(("HTTP/1.1 404 Not Found\r\nDocker-Distribution-API-Version: registry/2.0\r\nContent-Type: application/json"
        + "\r\nContent-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
    if (!method.equals("HEAD")) {
      out.write(body);
    }
    out.flush();
  }

  /** A request's line and headers (requests here have no body), or null at the end of the connection. */
  private static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int c;
    int matched = 0;
    while ((c = in.read()) != -1) {
      head.write(c);
      matched = (c == '\r' && (matched == 0 || matched == 2)) || (c == '\n' && (matched == 1 || matched == 3))
          ? matched + 1 : 0;
      if (matched == 4) {
        return head.toString(StandardCharsets.US_ASCII);
      }
      if (head.size() > 64 * 1024) {
        return null;
      }
    }
    return null;
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}
