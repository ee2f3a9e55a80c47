package io.github.syscontainers.trust;

import io.github.syscontainers.model.PythonJson;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A policy.json as a document to change, as {@code atomic trust} changed it: a scope's requirements set or removed,
 * the default replaced; everything else in the file is kept as it was, in its order. A file that does not exist reads
 * as the policy atomic wrote on first use (accept anything). A change is written only when the result is a policy
 * {@link PolicyParser} accepts, and whole ({@link ConfigFiles}).
 *
 * <p>Not thread-safe; {@link TrustConfig} changes it under a lock.
 */
final class PolicyFile {
  private static final ObjectMapper JSON = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
  private static final long MAX_SIZE = 4 << 20;

  private final Path file;
  private final ObjectNode tree;
  private final boolean exists;

  private PolicyFile(Path file, ObjectNode tree, boolean exists) {
    this.file = file;
    this.tree = tree;
    this.exists = exists;
  }

  /**
   * Reads {@code file}, or the default policy when there is none.
   *
   * @throws TrustException when the file is not a policy containers/image would accept: it is not changed then
   */
  static PolicyFile read(Path file) throws TrustException {
    byte[] text;
    try {
      if (Files.size(file) > MAX_SIZE) {
        throw new TrustException("The signature policy " + file + " is over 4 MiB; that is no policy");
      }
      text = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return new PolicyFile(file, defaultPolicy(), false);
    } catch (IOException e) {
      throw new TrustException("Cannot read the signature policy " + file + ": " + e.getMessage(), e);
    }
    PolicyParser.parse(text, file.toString());
    try {
      return new PolicyFile(file, (ObjectNode) JSON.readTree(text), true);
    } catch (IOException e) {
      throw new TrustException("Cannot read the signature policy " + file + ": " + e.getMessage(), e);
    }
  }

  /** atomic's first policy: accept anything, also from the docker daemon. */
  static ObjectNode defaultPolicy() {
    JsonNodeFactory f = JsonNodeFactory.instance;
    ObjectNode p = f.objectNode();
    p.putArray("default").addObject().put("type", "insecureAcceptAnything");
    p.putObject("transports").putObject("docker-daemon").putArray("").addObject().put("type", "insecureAcceptAnything");
    return p;
  }

  Path path() {
    return file;
  }

  boolean exists() {
    return exists;
  }

  /** The document, as JSON (atomic's {@code trust show --raw}). */
  ObjectNode tree() {
    return tree;
  }

  Policy policy() throws TrustException {
    return PolicyParser.parse(text().getBytes(StandardCharsets.UTF_8), file.toString());
  }

  /** The requirements of {@code scope} in {@code transport}, when the policy has that scope. */
  Optional<ArrayNode> scope(String transport, String scope) {
    JsonNode t = tree.path("transports").path(transport);
    JsonNode s = t.isObject() ? t.get(scope) : null;
    return s instanceof ArrayNode ? Optional.of((ArrayNode) s) : Optional.empty();
  }

  void put(String transport, String scope, ArrayNode requirements) {
    JsonNode transports = tree.get("transports");
    ObjectNode t = transports instanceof ObjectNode ? (ObjectNode) transports : tree.putObject("transports");
    JsonNode scopes = t.get(transport);
    (scopes instanceof ObjectNode ? (ObjectNode) scopes : t.putObject(transport)).set(scope, requirements);
  }

  /** Removes {@code scope} of {@code transport}; false when the policy has no such scope. */
  boolean remove(String transport, String scope) {
    JsonNode t = tree.path("transports").path(transport);
    return t.isObject() && ((ObjectNode) t).remove(scope) != null;
  }

  /** Makes {@code type} the one requirement of every image no scope names. */
  void setDefault(String type) {
    ArrayNode d = tree.arrayNode();
    d.addObject().put("type", type);
    tree.set("default", d);
  }

  /** Replaces the whole document with the default policy. */
  void reset() {
    tree.removeAll();
    tree.setAll(defaultPolicy());
  }

  String text() {
    return PythonJson.dumps(tree);
  }

  /** Writes the document, if containers/image would read it. */
  void write() throws TrustException {
    String text = text();
    try {
      PolicyParser.parse(text.getBytes(StandardCharsets.UTF_8), file.toString());
    } catch (TrustException e) {
      throw new TrustException("Not changing " + file + ", the result would not be a valid policy: " + e.getMessage(), e);
    }
    ConfigFiles.replace(file, text);
  }
}
