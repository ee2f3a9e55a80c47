package io.github.syscontainers.api;

import io.github.syscontainers.lifecycle.ImageUpdater;
import io.github.syscontainers.lifecycle.LifecycleException;
import io.github.syscontainers.model.Platform;
import io.github.syscontainers.objectstore.StoredImage;
import java.nio.file.Path;

/**
 * {@code syscontainers pull IMAGE}: an image into the store, from any transport ({@code docker://REF},
 * {@code oci:DIR[:REF]}, {@code oci-archive:FILE[:REF]}, {@code docker-archive:FILE}), verified while it streams and
 * checked against the signature policy before a layer is fetched.
 */
public final class PullCommand {
  private final Session session;
  private final SourceSettings source = new SourceSettings();
  private String image;

  PullCommand(Session session) {
    this.session = session;
  }

  /** The image to pull (required). */
  public PullCommand setImage(String image) {
    this.image = image;
    return this;
  }

  /** {@code --tls-verify}: false lets a registry be reached over plain HTTP or with an unverified certificate. */
  public PullCommand setTlsVerify(boolean verify) {
    source.sources = source.sources.withTlsVerify(verify);
    return this;
  }

  /** {@code --platform}: which image of a multi-platform index (default: this host's). */
  public PullCommand setPlatform(Platform platform) {
    source.sources = source.sources.withPlatform(platform);
    return this;
  }

  /** {@code --signature-policy FILE} instead of the root's {@code /etc/containers/policy.json}. */
  public PullCommand setSignaturePolicy(Path policy) {
    source.sources = source.sources.withSignaturePolicy(policy);
    return this;
  }

  /** {@code --insecure-policy}: accept the image whatever the signature policy says. */
  public PullCommand setInsecurePolicy(boolean insecure) {
    source.sources = source.sources.withInsecurePolicy(insecure);
    return this;
  }

  /** All the source flags at once (the individual setters change one of them). */
  public PullCommand setSources(Sources sources) {
    source.sources = java.util.Objects.requireNonNull(sources, "sources");
    return this;
  }

  /** Where a pull's progress goes (default: nowhere). */
  public PullCommand setProgress(Progress progress) {
    source.progress = java.util.Objects.requireNonNull(progress, "progress");
    return this;
  }

  /** Pulls; returns the image as stored. */
  public Pulled call() throws SystemContainersException {
    if (image == null) {
      throw new SystemContainersException("pull", null, "No image to pull: call setImage first", 2, null);
    }
    try {
      StoredImage s = new ImageUpdater(session.layout(), session.notices(), java.time.Clock.systemUTC())
          .update(image, source.options(session), source.sources.platform());
      return new Pulled(s.name(), s.imageId(), s.manifestDigest(), s.layers());
    } catch (LifecycleException e) {
      throw Session.failure("pull", image, e);
    }
  }
}
