package io.github.syscontainers.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.syscontainers.model.ImageReference;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the credentials for a registry as skopeo and podman do (containers-auth.json(5)), when none were given with
 * {@code --creds}: the {@code --authfile} if given, else {@code $REGISTRY_AUTH_FILE}, else
 * {@code $XDG_RUNTIME_DIR/containers/auth.json}, {@code $XDG_CONFIG_HOME/containers/auth.json}
 * ({@code ~/.config/...}), {@code $DOCKER_CONFIG/config.json} ({@code ~/.docker/config.json}) and
 * {@code ~/.dockercfg}, the first file with an answer winning. In each file a credential helper named in
 * {@code credHelpers} for the host comes first, then the most specific {@code auths} key
 * ({@code host/ns/repo}, {@code host/ns}, {@code host}, with the {@code https://} and Docker Hub's
 * {@code https://index.docker.io/v1/} forms), then the {@code credsStore} helper.
 *
 * <p>Helpers speak the docker-credential-helpers protocol: {@code docker-credential-NAME get}, the server on stdin,
 * {@code {"Username":…,"Secret":…}} on stdout; "credentials not found" means anonymous. An identity token
 * ({@code identitytoken}, or a helper's {@code <token>} user) is returned as {@code <token>:TOKEN} and exchanged
 * for access tokens with an OAuth2 refresh-token request.
 *
 * <p>Thread-safe.
 */
public final class CredentialStore {
  private static final Logger LOG = LoggerFactory.getLogger(CredentialStore.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long MAX_FILE = 1L << 20;
  private static final String DOCKER_HUB_KEY = "https://index.docker.io/v1/";

  private final Optional<Path> authFile;
  private final Map<String, String> env;

  /**
   * @param authFile the file {@code --authfile} named, which must exist; empty for the default lookup
   * @param env the environment to read paths from, usually {@link System#getenv()}
   */
  public CredentialStore(Optional<Path> authFile, Map<String, String> env) {
    this.authFile = authFile;
    this.env = Map.copyOf(env);
  }

  /** Returns {@code USER:SECRET} for the image's registry, or empty for anonymous access. */
  public Optional<String> lookup(ImageReference ref) throws RegistryException {
    for (Path file : files()) {
      if (!Files.isRegularFile(file)) {
        continue;
      }
      Optional<String> found = lookup(file, ref);
      if (found.isPresent()) {
        LOG.debug("credentials for {} from {}", ref.registry(), file);
        return found;
      }
    }
    return Optional.empty();
  }

  /** The files to look in, in order. */
  List<Path> files() throws RegistryException {
    if (authFile.isPresent()) {
      if (!Files.isRegularFile(authFile.get())) {
        throw new RegistryException(
            "The auth file " + authFile.get() + " does not exist; check the path given with --authfile (create it"
                + " with podman login or skopeo login)");
      }
      return List.of(authFile.get());
    }
    List<Path> files = new ArrayList<>();
    String fromEnv = env.get("REGISTRY_AUTH_FILE");
    if (fromEnv != null && !fromEnv.isEmpty()) {
      files.add(Path.of(fromEnv));
    }
    String home = env.getOrDefault("HOME", System.getProperty("user.home"));
    String runtime = env.get("XDG_RUNTIME_DIR");
    if (runtime != null && !runtime.isEmpty()) {
      files.add(Path.of(runtime, "containers/auth.json"));
    } else if ("/root".equals(home)) {
      files.add(Path.of("/run/containers/0/auth.json"));
    }
    String config = env.get("XDG_CONFIG_HOME");
    files.add(config != null && !config.isEmpty() ? Path.of(config, "containers/auth.json")
        : Path.of(home, ".config/containers/auth.json"));
    String docker = env.get("DOCKER_CONFIG");
    files.add(docker != null && !docker.isEmpty() ? Path.of(docker, "config.json") : Path.of(home, ".docker/config.json"));
    files.add(Path.of(home, ".dockercfg"));
    return files;
  }

  private Optional<String> lookup(Path file, ImageReference ref) throws RegistryException {
    JsonNode root;
    try {
      if (Files.size(file) > MAX_FILE) {
        throw new RegistryException("The auth file " + file + " is over 1 MiB; it is not an auth file");
      }
      root = JSON.readTree(file.toFile());
    } catch (RegistryException e) {
      throw e;
    } catch (IOException e) {
      throw new RegistryException(
          "Cannot read the auth file " + file + ": " + e.getMessage() + "; fix its JSON or log in again", e);
    }
    if (root == null || !root.isObject()) {
      throw new RegistryException("The auth file " + file + " is not a JSON object; fix it or log in again");
    }
    String host = ref.registry();
    String helper = root.path("credHelpers").path(host).asText("");
    if (!helper.isEmpty()) {
      return helper(helper, host);
    }
    // ~/.dockercfg has the entries at the top level
    JsonNode auths = root.has("auths") ? root.path("auths") : file.getFileName().toString().equals(".dockercfg") ? root : null;
    if (auths != null) {
      for (String key : keys(ref)) {
        JsonNode entry = auths.get(key);
        if (entry != null) {
          Optional<String> creds = decode(entry, key, file);
          if (creds.isPresent()) {
            return creds;
          }
        }
      }
    }
    String store = root.path("credsStore").asText("");
    return store.isEmpty() ? Optional.empty() : helper(store, host);
  }

  /** The {@code auths} keys for a reference, most specific first. */
  static List<String> keys(ImageReference ref) {
    List<String> keys = new ArrayList<>();
    String path = ref.registry() + "/" + ref.repository();
    for (String p = path; p.contains("/"); p = p.substring(0, p.lastIndexOf('/'))) {
      keys.add(p);
    }
    String host = ref.registry();
    keys.add(host);
    keys.add("https://" + host);
    keys.add("http://" + host);
    if (host.equals(ImageReference.DOCKER_HUB)) {
      keys.add(DOCKER_HUB_KEY);
      keys.add("index.docker.io");
      keys.add("registry-1.docker.io");
    }
    return keys;
  }

  private static Optional<String> decode(JsonNode entry, String key, Path file) throws RegistryException {
    String identity = entry.path("identitytoken").asText("");
    if (!identity.isEmpty()) {
      return Optional.of(RegistryAuthenticator.IDENTITY_TOKEN + ":" + identity);
    }
    String auth = entry.path("auth").asText("");
    if (auth.isEmpty()) {
      return Optional.empty();
    }
    String decoded;
    try {
      decoded = new String(Base64.getDecoder().decode(auth.trim()), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new RegistryException(
          "The entry for " + key + " in the auth file " + file + " is not base64; log in again to rewrite it", e);
    }
    if (!decoded.contains(":")) {
      throw new RegistryException(
          "The entry for " + key + " in the auth file " + file + " is not USER:PASSWORD; log in again to rewrite it");
    }
    return Optional.of(decoded);
  }

  /** Asks {@code docker-credential-NAME} for the host's credentials. */
  private Optional<String> helper(String name, String host) throws RegistryException {
    if (!name.matches("[A-Za-z0-9._-]+")) {
      throw new RegistryException("The credential helper name '" + name + "' is invalid; fix the auth file");
    }
    String program = "docker-credential-" + name;
    Optional<Path> exe = onPath(program);
    if (exe.isEmpty()) {
      throw new RegistryException(
          "The auth file names the credential helper " + program + " for " + host + ", but it is not on the PATH;"
              + " install it, or pass --creds");
    }
    String server = host.equals(ImageReference.DOCKER_HUB) ? DOCKER_HUB_KEY : host;
    try {
      Process p = new ProcessBuilder(exe.get().toString(), "get").redirectErrorStream(true).start();
      try (OutputStream in = p.getOutputStream()) {
        in.write(server.getBytes(StandardCharsets.UTF_8));
      }
      byte[] out;
      try (InputStream o = p.getInputStream()) {
        out = o.readNBytes((int) MAX_FILE);
      }
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new RegistryException("The credential helper " + program + " did not answer within 30 s");
      }
      String text = new String(out, StandardCharsets.UTF_8).trim();
      if (p.exitValue() != 0) {
        if (text.toLowerCase(java.util.Locale.ROOT).contains("credentials not found")) {
          return Optional.empty();
        }
        throw new RegistryException(
            "The credential helper " + program + " failed for " + host + " (exit " + p.exitValue() + "): "
                + text.lines().findFirst().orElse(""));
      }
      JsonNode answer = JSON.readTree(text);
      String user = answer.path("Username").asText("");
      String secret = answer.path("Secret").asText("");
      return user.isEmpty() && secret.isEmpty() ? Optional.empty() : Optional.of(user + ":" + secret);
    } catch (IOException e) {
      throw new RegistryException("The credential helper " + program + " failed for " + host + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RegistryException("Interrupted while asking " + program + " for credentials", e);
    }
  }

  private Optional<Path> onPath(String program) {
    String path = env.getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin");
    for (String dir : path.split(":")) {
      if (dir.isEmpty()) {
        continue;
      }
      Path p = Path.of(dir, program);
      if (Files.isExecutable(p)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }
}
