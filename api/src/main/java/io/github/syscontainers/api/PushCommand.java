package io.github.syscontainers.api;

import io.github.syscontainers.lifecycle.ImageCatalog;
import io.github.syscontainers.lifecycle.LifecycleException;
import io.github.syscontainers.registry.SourceReference;
import io.github.syscontainers.trust.TrustCheck;
import io.github.syscontainers.trust.TrustException;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * {@code syscontainers push IMAGE [DESTINATION]}, as {@code podman push}: a stored image to a registry (by default
 * {@code docker://IMAGE}) or any transport copy takes; each layer's tar rebuilt byte for byte from its tar-split record
 * and gzip-compressed again. The signatures stored with the image go to the registry's lookaside staging unless
 * removed; a push that cannot take them is refused.
 */
public final class PushCommand {
  private static final List<String> TRANSPORTS = List.of("oci:", "oci-archive:", "docker-archive:", "dir:");

  private final Session session;
  private final SourceSettings settings = new SourceSettings();
  private String image;
  private String destination;
  private boolean removeSignatures;

  PushCommand(Session session) {
    this.session = session;
  }

  /** The stored image, by the name {@code images list} shows (required). */
  public PushCommand setImage(String image) {
    this.image = image;
    return this;
  }

  /** {@code docker://REF} or another transport (default: {@code docker://IMAGE}); a bare reference is a registry's. */
  public PushCommand setDestination(String destination) {
    this.destination = destination;
    return this;
  }

  /** The registry's flags ({@code --tls-verify}, {@code --creds}, {@code --authfile}, {@code --cert-dir}). */
  public PushCommand setSources(Sources sources) {
    settings.sources = Objects.requireNonNull(sources, "sources");
    return this;
  }

  /** {@code --tls-verify}. */
  public PushCommand setTlsVerify(boolean verify) {
    settings.sources = settings.sources.withTlsVerify(verify);
    return this;
  }

  /** {@code --remove-signatures}: do not push the signatures stored with the image. */
  public PushCommand setRemoveSignatures(boolean remove) {
    this.removeSignatures = remove;
    return this;
  }

  public PushCommand setProgress(Progress progress) {
    settings.progress = Objects.requireNonNull(progress, "progress");
    return this;
  }

  /** The destination the call writes to, as given or defaulted. */
  public String target() throws SystemContainersException {
    Session.required(image, "push", "image");
    try {
      return target(session.catalog());
    } catch (LifecycleException e) {
      throw Session.failure("push", image, e);
    }
  }

  private String target(ImageCatalog catalog) throws LifecycleException {
    return destination != null ? destination : "docker://" + catalog.storedName(image).orElse(image);
  }

  public Copied call() throws SystemContainersException {
    Session.required(image, "push", "image");
    try {
      ImageCatalog catalog = session.catalog();
      String target = target(catalog);
      boolean transport = target.startsWith("docker://") || TRANSPORTS.stream().anyMatch(target::startsWith);
      SourceReference dest = Transfers.parse(transport ? target : "docker://" + target);
      Optional<TrustCheck> signatures = removeSignatures ? Optional.empty()
          : Optional.of(TrustCheck.load(settings.settings(session, true), Clock.systemUTC()));
      return Transfers.copied(catalog.export(List.of(image), dest, settings.destinationOptions(session), List.of(),
          Transfers.copyOptions(settings, Optional.empty()), OptionalLong.empty(), session.notices(),
          signatures, true).get(0));
    } catch (TrustException e) {
      throw new SystemContainersException("push", image, e.getMessage(), 1, e);
    } catch (LifecycleException e) {
      throw Session.failure("push", image, e);
    }
  }
}
