package io.github.syscontainers.api;

import io.github.syscontainers.lifecycle.ImageCopy;
import io.github.syscontainers.lifecycle.LifecycleException;
import io.github.syscontainers.lifecycle.Puller;
import io.github.syscontainers.lifecycle.Stores;
import io.github.syscontainers.objectstore.StoredImage;
import io.github.syscontainers.registry.ImageCopier;
import io.github.syscontainers.registry.SourceOptions;
import io.github.syscontainers.registry.SourceReference;
import io.github.syscontainers.trust.ImageSigner;
import io.github.syscontainers.trust.TrustCheck;
import io.github.syscontainers.trust.TrustException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * {@code syscontainers copy SOURCE DESTINATION}, as {@code skopeo copy}: an image from one transport to another
 * ({@code docker://REF}, {@code oci:DIR[:REF]}, {@code oci-archive:FILE[:REF]}, {@code docker-archive:FILE},
 * {@code dir:DIR}, and the store as {@code ostree:NAME[@/REPO]}); layers go as they are when the destination takes them
 * so, and then the manifest digest is kept. The source's signatures go along (to a {@code dir:} or a registry's
 * lookaside staging) unless removed; a copy that cannot keep them is refused.
 */
public final class CopyCommand {
  private final Session session;
  private final SourceSettings source = new SourceSettings();
  private final SourceSettings destination = new SourceSettings();
  private final List<String> additionalTags = new ArrayList<>();
  private String from;
  private String to;
  private Optional<Compression> compression = Optional.empty();
  private OptionalLong chunkSize = OptionalLong.empty();
  private boolean all;
  private boolean removeSignatures;
  private String signBy;
  private char[] signPassphrase = new char[0];
  private String signIdentity;

  CopyCommand(Session session) {
    this.session = session;
  }

  /** The image to copy (required). */
  public CopyCommand setSource(String source) {
    this.from = source;
    return this;
  }

  /** Where to write it (required). */
  public CopyCommand setDestination(String destination) {
    this.to = destination;
    return this;
  }

  /** The source's flags ({@code --src-tls-verify}, {@code --src-creds}, the signature policy, {@code --platform}). */
  public CopyCommand setSourceSources(Sources sources) {
    source.sources = Objects.requireNonNull(sources, "sources");
    return this;
  }

  /** The destination's registry flags ({@code --dest-tls-verify}, {@code --dest-creds}, {@code --dest-cert-dir}). */
  public CopyCommand setDestinationSources(Sources sources) {
    destination.sources = Objects.requireNonNull(sources, "sources");
    return this;
  }

  /** {@code --src-tls-verify}. */
  public CopyCommand setSrcTlsVerify(boolean verify) {
    source.sources = source.sources.withTlsVerify(verify);
    return this;
  }

  /** {@code --dest-tls-verify}. */
  public CopyCommand setDestTlsVerify(boolean verify) {
    destination.sources = destination.sources.withTlsVerify(verify);
    return this;
  }

  /** {@code --additional-tag NAME:TAG}: another name at the destination. */
  public CopyCommand addAdditionalTag(String tag) {
    additionalTags.add(tag);
    return this;
  }

  /** {@code --dest-compress-format}: every layer recompressed. */
  public CopyCommand setDestCompressFormat(Compression compression) {
    this.compression = Optional.of(compression);
    return this;
  }

  /** {@code --dest-chunk-size}: registry blobs over this many bytes uploaded in PATCH requests of that size. */
  public CopyCommand setDestChunkSize(long bytes) {
    if (bytes < 1024) {
      throw new IllegalArgumentException("--dest-chunk-size: it must be at least 1K");
    }
    this.chunkSize = OptionalLong.of(bytes);
    return this;
  }

  /** {@code --all}: from an index, every image it names and the index. */
  public CopyCommand setAll(boolean all) {
    this.all = all;
    return this;
  }

  /** {@code --remove-signatures}: leave the source's signatures behind. */
  public CopyCommand setRemoveSignatures(boolean remove) {
    this.removeSignatures = remove;
    return this;
  }

  /** {@code --sign-by KEY}: sign the copy with this GPG key (a fingerprint, an e-mail or an exported secret key file). */
  public CopyCommand setSignBy(String key) {
    this.signBy = key;
    return this;
  }

  /** The {@code --sign-by} key's passphrase (copied; the copy is wiped after the call). */
  public CopyCommand setSignPassphrase(char[] passphrase) {
    this.signPassphrase = passphrase.clone();
    return this;
  }

  /** {@code --sign-identity}: the reference the signature claims (default: the destination's). */
  public CopyCommand setSignIdentity(String identity) {
    this.signIdentity = identity;
    return this;
  }

  /** Where the progress of the copy goes (both sides). */
  public CopyCommand setProgress(Progress progress) {
    source.progress = Objects.requireNonNull(progress, "progress");
    destination.progress = progress;
    return this;
  }

  public Copied call() throws SystemContainersException {
    Session.required(from, "copy", "source");
    Session.required(to, "copy", "destination");
    try {
      if (StoreName.is(from) && StoreName.is(to)) {
        throw new LifecycleException("Both images are in the store; give another name to an image with `images tag`");
      }
      SourceOptions srcOptions = source.options(session);
      SourceOptions destOptions = destination.destinationOptions(session);
      TrustCheck trust = TrustCheck.load(source.settings(session, source.sources.insecurePolicy()), Clock.systemUTC());
      if (StoreName.is(to)) {
        return intoStore(Transfers.parse(from), srcOptions);
      }
      SourceReference dst = Transfers.parse(to);
      ImageCopier.Options copy = Transfers.copyOptions(source, compression);
      Optional<TrustCheck> signatures = removeSignatures ? Optional.empty() : Optional.of(trust);
      if (StoreName.is(from)) {
        StoreName name = StoreName.parse(from);
        Session s = name.repo().isPresent() ? session.withRepository(name.repo().get()) : session;
        return Transfers.copied(s.catalog().export(List.of(name.name()), dst, destOptions, additionalTags, copy,
            chunkSize, session.notices(), signatures, true).get(0));
      }
      return Transfers.copied(ImageCopy.copy(new ImageCopy.Request(Transfers.parse(from), srcOptions,
          source.sources.platform(), dst, destOptions, additionalTags, copy, chunkSize, all, signatures,
          signing(trust))));
    } catch (TrustException e) {
      throw new SystemContainersException("copy", from, e.getMessage(), 1, e);
    } catch (LifecycleException e) {
      throw Session.failure("copy", from, e);
    } finally {
      Arrays.fill(signPassphrase, '\0');
    }
  }

  /** {@code copy SRC ostree:NAME}: a pull, then the name given. */
  private Copied intoStore(SourceReference src, SourceOptions options) throws SystemContainersException,
      LifecycleException {
    StoreName name = StoreName.parse(to);
    Session s = name.repo().isPresent() ? session.withRepository(name.repo().get()) : session;
    StoredImage stored = new Puller(Stores.open(s.layout(), Clock.systemUTC())).pull(src, options,
        source.sources.platform());
    if (!stored.name().equals(name.name())) {
      s.catalog().tag(stored.name(), name.name());
    }
    return new Copied(stored.manifestDigest(), "", false, List.of(), Optional.of(stored.imageId()));
  }

  private Optional<ImageCopy.Signing> signing(TrustCheck store) throws TrustException {
    if (signBy == null) {
      return Optional.empty();
    }
    ImageSigner signer = ImageSigner.gpg(signBy, Optional.empty(), signPassphrase,
        source.settings(session, source.sources.insecurePolicy()), session.env().variables(), Clock.systemUTC());
    return Optional.of(new ImageCopy.Signing(signer, Optional.ofNullable(signIdentity), store));
  }
}
