package io.github.syscontainers.trust;

import io.github.syscontainers.model.PythonJson;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The trust configuration of a host as {@code atomic trust} managed it: its policy.json and its registries.d. Lists
 * what is trusted ({@code trust show}), adds or replaces a scope's requirements and signature store
 * ({@code trust add}), removes them ({@code trust delete}), sets the default ({@code trust default}) and starts over
 * ({@code trust reset}). Changes are made under a lock, checked before anything is written (a policy that would not
 * load is never written), and written whole; what a change does not concern is kept.
 *
 * <p>Thread-safe: each operation reads the files afresh.
 */
public final class TrustConfig {
  /** The transports {@code --sigstoretype} names, atomic's names first. */
  private static final Map<String, String> TRANSPORTS = Map.of(
      "web", "docker", "docker", "docker", "local", "dir", "dir", "dir", "atomic", "atomic",
      "oci", "oci", "oci-archive", "oci-archive", "docker-archive", "docker-archive");
  private static final Set<String> TYPES = Set.of("signedBy", "sigstoreSigned", "insecureAcceptAnything", "reject");
  private static final Pattern HOST_SCOPE = Pattern.compile(
      "(?:\\*\\.)?[a-zA-Z0-9](?:[a-zA-Z0-9.-]*[a-zA-Z0-9])?(?::[0-9]+)?(?:/[a-z0-9._/-]+(?:[:@][A-Za-z0-9_.:=-]+)?)?");

  /** One row of {@code trust show}. */
  public record Entry(
      String scope, String transport, String type, Optional<List<String>> keys, List<String> signers,
      String lookaside) {}

  /** What {@code trust add} sets. */
  public record Addition(
      String scope, String transport, String type, String keyType, List<String> keyPaths, List<KeyData> keyData,
      Optional<String> lookaside, Optional<Keyless> keyless) {
    public Addition {
      keyPaths = List.copyOf(keyPaths);
      keyData = List.copyOf(keyData);
    }

    public Addition(String scope, String transport, String type, String keyType, List<String> keyPaths,
        List<KeyData> keyData, Optional<String> lookaside) {
      this(scope, transport, type, keyType, keyPaths, keyData, lookaside, Optional.empty());
    }
  }

  /**
   * A keyless trust root to embed in a {@code sigstoreSigned} requirement: Fulcio CA certificates, the OIDC issuer
   * and e-mail a certificate must name, and the Rekor keys whose SETs date signatures. Each file a PEM (CAs:
   * certificates; Rekor: public keys), or a trusted_root.json giving both.
   */
  public record Keyless(List<KeyData> fulcioCas, List<KeyData> rekorKeys, Optional<KeyData> trustedRoot,
      String oidcIssuer, String subjectEmail) {
    public Keyless {
      fulcioCas = List.copyOf(fulcioCas);
      rekorKeys = List.copyOf(rekorKeys);
    }
  }

  /**
   * A key to embed in the policy.
   *
   * @param source where it came from (a file, a URL, a keyring ID), for messages
   */
  public record KeyData(String source, byte[] data) {}

  private final Path root;
  private final Path policyPath;
  private final Path registriesD;

  private TrustConfig(Path root, Path policyPath, Path registriesD) {
    this.root = root;
    this.policyPath = policyPath;
    this.registriesD = registriesD;
  }

  /** The files the settings name: those pulls check images against. */
  public static TrustConfig of(TrustCheck.Settings s) {
    return new TrustConfig(s.root(), TrustCheck.policyPath(s), TrustCheck.registriesDPath(s));
  }

  public Path policyPath() {
    return policyPath;
  }

  public Path registriesD() {
    return registriesD;
  }

  /** The transport a {@code --sigstoretype} names ({@code web}: docker, {@code local}: dir, ...). */
  public static String transport(String sigstoreType) throws TrustException {
    String t = TRANSPORTS.get(sigstoreType);
    if (t == null) {
      throw new TrustException("Invalid sigstore type " + sigstoreType + "; use web, local or atomic (or a transport:"
          + " docker, dir, oci, oci-archive, docker-archive)");
    }
    return t;
  }

  /** The policy file's text, or the default policy's when there is none ({@code trust show --raw}). */
  public String rawPolicy() throws TrustException {
    return PolicyFile.read(policyPath).text();
  }

  /** The policy, as pulls apply it (the default policy when there is no file). */
  public Policy policy() throws TrustException {
    return PolicyFile.read(policyPath).policy();
  }

  /** Whether the policy has requirements for {@code scope} of {@code transport}. */
  public boolean defines(String transport, String scope) throws TrustException {
    return PolicyFile.read(policyPath).scope(transport, policyScope(transport, scope)).isPresent();
  }

  /**
   * The rows of {@code trust show}, sorted by scope as atomic sorted them: {@code * (default)} first, docker scopes
   * by name, a transport's own default as {@code * (TRANSPORT)}, other transports' scopes as {@code TRANSPORT:SCOPE}.
   * docker-daemon, a transport syscontainers never reads, is left out.
   */
  public List<Entry> entries() throws TrustException {
    PolicyFile file = PolicyFile.read(policyPath);
    RegistriesDFiles regs = RegistriesDFiles.read(registriesD);
    TreeMap<String, Entry> rows = new TreeMap<>();
    JsonNode transports = file.tree().path("transports");
    for (Iterator<Map.Entry<String, JsonNode>> t = transports.fields(); t.hasNext(); ) {
      Map.Entry<String, JsonNode> tr = t.next();
      if (tr.getKey().equals("docker-daemon")) {
        continue;
      }
      for (Iterator<Map.Entry<String, JsonNode>> s = tr.getValue().fields(); s.hasNext(); ) {
        Map.Entry<String, JsonNode> sc = s.next();
        String name = sc.getKey().isEmpty() ? "* (" + tr.getKey() + ")"
            : tr.getKey().equals("docker") ? sc.getKey() : tr.getKey() + ":" + sc.getKey();
        String lookaside = tr.getKey().equals("docker") && !sc.getKey().isEmpty()
            ? regs.lookaside(sc.getKey()).orElse("") : "";
        rows.put(name, entry(name, tr.getKey(), sc.getValue(), lookaside));
      }
    }
    JsonNode d = file.tree().get("default");
    rows.put("* (default)", new Entry("* (default)", "", d.get(0).path("type").asText(), Optional.empty(), List.of(), ""));
    return List.copyOf(rows.values());
  }

  private Entry entry(String name, String transport, JsonNode requirements, String lookaside) {
    List<String> keys = new ArrayList<>();
    LinkedHashSet<String> signers = new LinkedHashSet<>();
    for (JsonNode r : requirements) {
      List<String> paths = new ArrayList<>();
      if (r.hasNonNull("keyPath")) {
        paths.add(r.get("keyPath").asText());
      }
      r.path("keyPaths").forEach(p -> paths.add(p.asText()));
      for (String p : paths) {
        keys.add(p);
        readKey(p).ifPresent(k -> signers.addAll(signers(k)));
      }
      if (r.path("fulcio").isObject()) {
        // keyless: the identity a certificate must name is the signer
        signers.add(r.get("fulcio").path("subjectEmail").asText() + " (keyless, "
            + r.get("fulcio").path("oidcIssuer").asText() + ")");
      }
      if (r.hasNonNull("keyData")) {
        keys.add(r.get("keyData").asText());
        try {
          signers.addAll(signers(Base64.getDecoder().decode(r.get("keyData").asText())));
        } catch (IllegalArgumentException e) {
          // shown without a signer, as atomic showed keys gpg could not read
        }
      }
    }
    return new Entry(name, transport, requirements.path(0).path("type").asText(), Optional.of(keys),
        List.copyOf(signers), lookaside);
  }

  private Optional<byte[]> readKey(String path) {
    try {
      Path p = Keyrings.underRoot(root, path);
      return Files.size(p) > 16 << 20 ? Optional.empty() : Optional.of(Files.readAllBytes(p));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** The e-mail addresses of the key's user IDs (the whole ID when it has none), as atomic showed them. */
  private static List<String> signers(byte[] key) {
    try {
      List<String> out = new ArrayList<>();
      for (String uid : OpenPgpVerifier.of(key, "a key").userIds()) {
        int lt = uid.indexOf('<');
        int gt = uid.lastIndexOf('>');
        out.add(lt >= 0 && gt > lt ? uid.substring(lt + 1, gt) : uid);
      }
      return out;
    } catch (TrustException e) {
      return List.of();
    }
  }

  /**
   * Sets the requirements of a scope, and its signature store when one is given.
   *
   * @throws TrustException when the addition is not valid (nothing is written then) or cannot be written
   */
  public void add(Addition a) throws TrustException {
    if (!TYPES.contains(a.type())) {
      throw new TrustException("Invalid trust type " + a.type() + "; use signedBy, sigstoreSigned,"
          + " insecureAcceptAnything or reject");
    }
    validateScope(a.transport(), a.scope());
    boolean signed = a.type().equals("signedBy") || a.type().equals("sigstoreSigned");
    if (a.keyless().isPresent() && (!a.type().equals("sigstoreSigned") || !a.keyPaths().isEmpty()
        || !a.keyData().isEmpty())) {
      throw new TrustException("Keyless trust (--fulcio-ca, --rekor-key, --trusted-root) is for -t sigstoreSigned, and"
          + " takes no public key (-k, -f)");
    }
    if (signed && a.keyPaths().isEmpty() && a.keyData().isEmpty() && a.keyless().isEmpty()) {
      throw new TrustException("At least one public key must be defined for type '" + a.type() + "'");
    }
    if (!signed && !(a.keyPaths().isEmpty() && a.keyData().isEmpty())) {
      throw new TrustException("Type '" + a.type() + "' takes no public key; use -t signedBy to require signatures");
    }
    if (a.lookaside().isPresent() && a.transport().equals("atomic")) {
      throw new TrustException("Sigstore cannot be defined for sigstoretype 'atomic'");
    }
    if (a.lookaside().isPresent() && !a.transport().equals("docker")) {
      throw new TrustException("A signature store (-s) is configured for registries only (--sigstoretype web); images"
          + " of " + a.transport() + " read theirs from --signature-dir");
    }
    if (a.lookaside().isPresent()) {
      validateLookaside(a.lookaside().get());
    }
    ArrayNode reqs = JsonNodeFactory.instance.arrayNode();
    for (String p : a.keyPaths()) {
      checkKey(a.type(), readKeyFile(p), p);
      requirement(reqs, a).put("keyPath", p);
    }
    for (KeyData k : a.keyData()) {
      checkKey(a.type(), k.data(), k.source());
      requirement(reqs, a).put("keyData", Base64.getEncoder().encodeToString(k.data()));
    }
    if (!signed) {
      reqs.addObject().put("type", a.type());
    }
    if (a.keyless().isPresent()) {
      keyless(reqs.addObject().put("type", a.type()), a);
    }
    try (Held lock = lock()) {
      PolicyFile file = PolicyFile.read(policyPath);
      boolean attachments = a.type().equals("sigstoreSigned") && a.transport().equals("docker");
      RegistriesDFiles regs = a.lookaside().isPresent() || attachments ? RegistriesDFiles.read(registriesD) : null;
      file.put(a.transport(), policyScope(a.transport(), a.scope()), reqs);
      file.write();
      if (a.lookaside().isPresent()) {
        regs.setLookaside(a.scope(), a.lookaside().get());
      }
      if (attachments) {
        regs.setUseSigstoreAttachments(a.scope());
      }
    } catch (IOException e) {
      throw lockFailed(e);
    }
  }

  /** Writes the fulcio and rekorPublicKeyData(s) of a keyless requirement, each checked first. */
  private static void keyless(ObjectNode r, Addition a) throws TrustException {
    Keyless k = a.keyless().get();
    if (k.oidcIssuer().isEmpty() || k.subjectEmail().isEmpty()) {
      throw new TrustException("Keyless trust needs --oidc-issuer URL and --subject-email ADDRESS: the identity a"
          + " Fulcio certificate must name");
    }
    java.io.ByteArrayOutputStream cas = new java.io.ByteArrayOutputStream();
    List<String> rekor = new ArrayList<>();
    if (k.trustedRoot().isPresent()) {
      TrustedRoot t = TrustedRoot.parse(k.trustedRoot().get().data(), k.trustedRoot().get().source());
      for (java.security.cert.X509Certificate c : t.cas()) {
        cas.writeBytes(pem("CERTIFICATE", der(c)));
      }
      for (java.security.PublicKey key : t.rekorKeys()) {
        rekor.add(Base64.getEncoder().encodeToString(pem("PUBLIC KEY", key.getEncoded())));
      }
    }
    for (KeyData ca : k.fulcioCas()) {
      if (Pem.certificates(ca.data(), ca.source()).isEmpty()) {
        throw new TrustException(ca.source() + " holds no PEM certificate for --fulcio-ca");
      }
      cas.writeBytes(ca.data());
    }
    for (KeyData key : k.rekorKeys()) {
      for (java.security.PublicKey p : PemPublicKeys.parse(key.data(), key.source())) {
        if (!p.getAlgorithm().equals("EC")) {
          throw new TrustException(key.source() + " is not an ECDSA key; Rekor keys are ECDSA");
        }
      }
      rekor.add(Base64.getEncoder().encodeToString(key.data()));
    }
    if (cas.size() == 0 || rekor.isEmpty()) {
      throw new TrustException("Keyless trust needs the Fulcio CA (--fulcio-ca FILE) and the Rekor key (--rekor-key"
          + " FILE), or a --trusted-root FILE that gives both");
    }
    ObjectNode f = r.putObject("fulcio");
    f.put("caData", Base64.getEncoder().encodeToString(cas.toByteArray()));
    f.put("oidcIssuer", k.oidcIssuer());
    f.put("subjectEmail", k.subjectEmail());
    if (rekor.size() == 1) {
      r.put("rekorPublicKeyData", rekor.get(0));
    } else {
      ArrayNode all = r.putArray("rekorPublicKeyDatas");
      rekor.forEach(all::add);
    }
  }

  private static byte[] der(java.security.cert.X509Certificate c) throws TrustException {
    try {
      return c.getEncoded();
    } catch (java.security.cert.CertificateEncodingException e) {
      throw new TrustException("Cannot encode the certificate " + c.getSubjectX500Principal(), e);
    }
  }

  private static byte[] pem(String type, byte[] der) {
    return ("-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
        + "\n-----END " + type + "-----\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  }

  private static ObjectNode requirement(ArrayNode reqs, Addition a) {
    ObjectNode r = reqs.addObject().put("type", a.type());
    if (a.type().equals("signedBy")) {
      r.put("keyType", a.keyType());
    }
    return r;
  }

  private static void validateLookaside(String url) throws TrustException {
    String scheme;
    try {
      scheme = new java.net.URI(url).getScheme();
    } catch (java.net.URISyntaxException e) {
      scheme = null;
    }
    if (scheme == null || !Set.of("file", "http", "https").contains(scheme.toLowerCase(Locale.ROOT))) {
      throw new TrustException("Invalid signature store URL '" + url + "': use https://HOST/PATH, http://HOST/PATH or"
          + " file:///PATH");
    }
  }

  private void checkKey(String type, byte[] key, String where) throws TrustException {
    try {
      if (type.equals("signedBy")) {
        OpenPgpVerifier.of(key, where);
      } else {
        PemPublicKeys.parse(key, where);
      }
    } catch (TrustException e) {
      throw new TrustException("Cannot use " + where + " as a " + (type.equals("signedBy") ? "GPG" : "sigstore")
          + " public key for " + type + ": " + e.getMessage(), e);
    }
  }

  private byte[] readKeyFile(String path) throws TrustException {
    Path p = Keyrings.underRoot(root, path);
    if (!Path.of(path).isAbsolute()) {
      throw new TrustException("The public key file " + path + " is not an absolute path; policy.json needs one");
    }
    if (!Files.isRegularFile(p)) {
      throw new TrustException("The public key file " + p + " was not found. This file must exist to proceed.");
    }
    try {
      if (Files.size(p) > 16 << 20) {
        throw new TrustException("The public key file " + p + " is over 16 MiB; that is no key");
      }
      return Files.readAllBytes(p);
    } catch (IOException e) {
      throw new TrustException("Cannot read the public key file " + p + ": " + e.getMessage(), e);
    }
  }

  /**
   * Removes the requirements of a scope and, unless {@code keepLookaside}, its signature store.
   *
   * @throws TrustException when the policy has no such scope
   */
  public void delete(String transport, String scope, String sigstoreType, boolean keepLookaside) throws TrustException {
    try (Held lock = lock()) {
      PolicyFile file = PolicyFile.read(policyPath);
      if (!file.remove(transport, policyScope(transport, scope))) {
        throw new TrustException("Could not find trust policy defined for " + sigstoreType + " transport " + scope);
      }
      RegistriesDFiles regs = !keepLookaside && transport.equals("docker") ? RegistriesDFiles.read(registriesD) : null;
      file.write();
      if (regs != null) {
        regs.remove(scope);
      }
    } catch (IOException e) {
      throw lockFailed(e);
    }
  }

  /** Makes every image no scope names accepted ({@code accept}) or refused. */
  public void setDefault(boolean accept) throws TrustException {
    try (Held lock = lock()) {
      PolicyFile file = PolicyFile.read(policyPath);
      file.setDefault(accept ? "insecureAcceptAnything" : "reject");
      file.write();
    } catch (IOException e) {
      throw lockFailed(e);
    }
  }

  /**
   * Writes the default policy and removes every registries.d file but {@code default.yaml}, as atomic did.
   *
   * @return the registries.d files removed
   */
  public List<Path> reset() throws TrustException {
    try (Held lock = lock()) {
      PolicyFile file;
      try {
        file = PolicyFile.read(policyPath);
      } catch (TrustException e) {
        // a policy that does not load is what a reset is for
        file = null;
      }
      if (file == null) {
        ConfigFiles.replace(policyPath, PythonJson.dumps(PolicyFile.defaultPolicy()));
      } else {
        file.reset();
        file.write();
      }
      return RegistriesDFiles.read(registriesD).reset();
    } catch (IOException e) {
      throw lockFailed(e);
    }
  }

  /**
   * The policy.json scope a {@code REGISTRY} argument names: itself, or for the local transports {@code *}, the
   * transport's own default ({@code ""}).
   */
  private static String policyScope(String transport, String scope) {
    return scope.equals("*") && !transport.equals("docker") && !transport.equals("atomic") ? "" : scope;
  }

  private void validateScope(String transport, String scope) throws TrustException {
    if (transport.equals("docker-archive") && !scope.equals("*")) {
      throw new TrustException("docker-archive images are matched by their transport alone (containers-policy.json(5)"
          + " gives them no scopes); write '*'");
    }
    if (scope.equals("*") && !transport.equals("docker") && !transport.equals("atomic")) {
      return;
    }
    if (scope.isEmpty()) {
      throw new TrustException("Give the registry to trust, REGISTRY[/REPOSITORY]; 'trust default' sets the policy"
          + " for every other image");
    }
    if (transport.equals("docker") || transport.equals("atomic")) {
      String first = scope.split("/", 2)[0];
      if (scope.contains("://") || !HOST_SCOPE.matcher(scope).matches()) {
        throw new TrustException("Invalid registry scope '" + scope + "': write REGISTRY[/REPOSITORY], such as"
            + " registry.example.com or registry.example.com/acme, with no scheme");
      }
      if (!first.contains(".") && !first.contains(":") && !first.equals("localhost")) {
        throw new TrustException("Invalid registry scope '" + scope + "': it does not start with a registry host, and"
            + " a policy scope is matched against fully qualified names; write docker.io/" + scope.toLowerCase(
                Locale.ROOT) + (scope.contains("/") ? "" : " (or docker.io/library/" + scope + ")") + " for Docker Hub");
      }
      return;
    }
    Path p = Path.of(scope);
    if (!p.isAbsolute() || !p.normalize().toString().equals(scope) || scope.equals("/")) {
      throw new TrustException("Invalid " + transport + " scope '" + scope + "': write an absolute path, such as"
          + " /srv/images/app.tar, or '*' for every " + transport + " image");
    }
  }

  /** The lock every change holds: a file beside the policy, so that two changes never interleave. */
  private Held lock() throws IOException {
    Path lockFile = policyPath.toAbsolutePath().resolveSibling("." + policyPath.getFileName() + ".lock");
    Files.createDirectories(lockFile.getParent());
    FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    try {
      ch.lock();
      return new Held(ch);
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
  }

  /** A held lock; closing its channel releases it. */
  private static final class Held implements AutoCloseable {
    private final FileChannel channel;

    Held(FileChannel channel) {
      this.channel = channel;
    }

    @Override
    public void close() throws IOException {
      channel.close();
    }
  }

  private TrustException lockFailed(IOException e) {
    return new TrustException("Cannot lock " + policyPath + " to change it: " + e.getMessage()
        + (e instanceof java.nio.file.AccessDeniedException ? "; trust changes need root" : ""), e);
  }
}
