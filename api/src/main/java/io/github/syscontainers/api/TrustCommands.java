package io.github.syscontainers.api;

import io.github.syscontainers.lifecycle.Environment;
import io.github.syscontainers.trust.TrustCheck;
import io.github.syscontainers.trust.TrustConfig;
import io.github.syscontainers.trust.TrustException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * {@code syscontainers trust show|add|delete|default|reset}, atomic's trust verbs: the root's signature policy
 * ({@code /etc/containers/policy.json}, or {@code TRUST_POLICY}, or what {@link #setSignaturePolicy(Path)} names) and
 * the lookasides of {@code /etc/containers/registries.d}.
 */
public final class TrustCommands {
  private final Session session;
  private Optional<Path> policy = Optional.empty();
  private Optional<Path> registriesD = Optional.empty();

  TrustCommands(Session session) {
    this.session = session;
  }

  /** {@code --signature-policy FILE} instead of the root's (or {@code TRUST_POLICY}'s). */
  public TrustCommands setSignaturePolicy(Path policy) {
    this.policy = Optional.of(policy);
    return this;
  }

  /** {@code --registries.d DIR} instead of the root's. */
  public TrustCommands setRegistriesD(Path dir) {
    this.registriesD = Optional.of(dir);
    return this;
  }

  /** {@code trust show}: one entry per scope, the default first. */
  public List<TrustEntry> show() throws SystemContainersException {
    try {
      return config().entries().stream()
          .map(e -> new TrustEntry(e.scope(), e.transport(), e.type(), e.keys(), e.signers(), e.lookaside()))
          .toList();
    } catch (TrustException e) {
      throw failure("trust show", null, e);
    }
  }

  /** {@code trust show --raw}: policy.json as it is on disk. */
  public String showRaw() throws SystemContainersException {
    try {
      return config().rawPolicy();
    } catch (TrustException e) {
      throw failure("trust show", null, e);
    }
  }

  /** {@code trust add REGISTRY}. */
  public AddTrustCommand add() {
    return new AddTrustCommand(this);
  }

  /**
   * {@code trust delete REGISTRY}: its requirement removed, and its lookaside unless {@code saveSigstore}.
   *
   * @param sigstoreType as {@code --sigstoretype} ({@code web} by default)
   */
  public void delete(String registry, String sigstoreType, boolean saveSigstore) throws SystemContainersException {
    try {
      config().delete(TrustConfig.transport(sigstoreType), registry, sigstoreType, saveSigstore);
    } catch (TrustException e) {
      throw failure("trust delete", registry, e);
    }
  }

  /** {@code trust default accept|reject}. */
  public void setDefault(boolean accept) throws SystemContainersException {
    try {
      config().setDefault(accept);
    } catch (TrustException e) {
      throw failure("trust default", null, e);
    }
  }

  /** {@code trust reset}: policy.json and registries.d back to what the system shipped; returns what was removed. */
  public List<Path> reset() throws SystemContainersException {
    try {
      return config().reset();
    } catch (TrustException e) {
      throw failure("trust reset", null, e);
    }
  }

  Environment env() {
    return session.env();
  }

  TrustConfig config() {
    Environment env = session.env();
    Optional<Path> p = policy.isPresent() ? policy
        : env.get("TRUST_POLICY").filter(s -> !s.isEmpty()).map(Path::of);
    return TrustConfig.of(new TrustCheck.Settings(session.hostRoot(), p, false, registriesD, Optional.empty(),
        !env.isRoot(), env.home()));
  }

  static SystemContainersException failure(String verb, String subject, TrustException e) {
    return new SystemContainersException(verb, subject, e.getMessage(), 1, e);
  }
}
