package io.github.syscontainers.registry;

import io.github.syscontainers.model.Descriptor;
import io.github.syscontainers.model.Digest;
import io.github.syscontainers.model.Platform;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An image that several registries can serve, tried in order: the mirrors registries.conf names, then the registry
 * itself; or the candidates of a short name. The first that resolves the image serves it. For mirrors, each blob
 * falls back to the other endpoints, continuing from the byte reached (containers/image gives up on a mirror's broken
 * blob, §4 F21); the candidates of a short name are different images, so their blobs never mix.
 *
 * <p>Thread-safe after {@link #resolve}.
 */
public final class MirroredSource implements ImageSource {
  private static final Logger LOG = LoggerFactory.getLogger(MirroredSource.class);

  private final List<RegistrySource> endpoints;
  private final boolean blobFallback;
  private final TransferListener listener;
  private volatile int chosen = -1;

  MirroredSource(List<RegistrySource> endpoints, boolean blobFallback, TransferListener listener) {
    this.endpoints = List.copyOf(endpoints);
    this.blobFallback = blobFallback;
    this.listener = listener;
  }

  @Override
  public ResolvedImage resolve(Platform platform, ManifestGate gate) throws RegistryException {
    List<String> failures = new ArrayList<>();
    RegistryException last = null;
    for (int i = 0; i < endpoints.size(); i++) {
      RegistrySource e = endpoints.get(i);
      // the gate sees this candidate as the one serving (its reference, its attachments); its refusal is final
      chosen = i;
      RegistryException[] refused = new RegistryException[1];
      try {
        ResolvedImage r = e.resolve(platform, top -> {
          try {
            gate.admit(top);
          } catch (RegistryException x) {
            refused[0] = x;
            throw x;
          }
        });
        if (i > 0) {
          LOG.info("{} served by {} ({} failed)", imageName(), e.label(), String.join("; ", failures));
        }
        return r;
      } catch (RegistryException ex) {
        if (refused[0] != null) {
          throw refused[0];
        }
        failures.add(e.label() + ": " + ex.getMessage());
        last = ex;
      }
    }
    chosen = -1;
    throw new RegistryException(
        "Tried " + endpoints.size() + " registries for " + imageName() + " and none served it: "
            + String.join("; ", failures), last);
  }

  /** The reference of the candidate that served the image (after {@link #resolve}), else of the first. */
  @Override
  public Optional<io.github.syscontainers.model.ImageReference> servedReference() {
    return endpoints.get(Math.max(0, chosen)).servedReference();
  }

  /** The attachments as the candidate that served the image (after {@link #resolve}) has them. */
  @Override
  public Optional<List<Descriptor>> sigstoreAttachments(Digest digest) throws RegistryException {
    return endpoints.get(Math.max(0, chosen)).sigstoreAttachments(digest);
  }

  /** The bundles as the candidate that served the image (after {@link #resolve}) has them. */
  @Override
  public List<SigstoreBundleBlob> sigstoreBundles(Digest digest) throws RegistryException {
    return endpoints.get(Math.max(0, chosen)).sigstoreBundles(digest);
  }

  @Override
  public ResolvedImage resolveChild(Descriptor entry) throws RegistryException {
    return endpoints.get(Math.max(chosen, 0)).resolveChild(entry);
  }

  @Override
  public InputStream openBlob(Descriptor blob) throws RegistryException {
    return new VerifyingInputStream(openBlobFrom(blob, 0), blob, imageName());
  }

  @Override
  public boolean servesRanges() {
    return true;
  }

  /** From the candidate that served the image (after {@link #resolve}), else the first. */
  @Override
  public long fetchRanges(Descriptor blob, List<ByteRange> ranges, RangeReceiver receiver, boolean wholeTaken)
      throws java.io.IOException {
    return endpoints.get(Math.max(0, chosen)).fetchRanges(blob, ranges, receiver, wholeTaken);
  }

  @Override
  public boolean resumesBlobs() {
    return true;
  }

  @Override
  public InputStream openBlobFrom(Descriptor blob, long offset) throws RegistryException {
    int first = Math.max(chosen, 0);
    List<FallbackBlobStream.Source> order = new ArrayList<>();
    order.add(source(endpoints.get(first), blob));
    if (blobFallback) {
      for (int i = 0; i < endpoints.size(); i++) {
        if (i != first) {
          order.add(source(endpoints.get(i), blob));
        }
      }
    }
    try {
      return FallbackBlobStream.openAt(order, blob, listener, offset);
    } catch (RegistryException e) {
      throw e;
    } catch (java.io.IOException e) {
      throw new RegistryException("Tried to fetch blob " + blob.digest() + " but failed: " + e.getMessage(), e);
    }
  }

  private static FallbackBlobStream.Source source(RegistrySource e, Descriptor blob) {
    return new FallbackBlobStream.Source() {
      @Override
      public InputStream open(long offset) throws RegistryException {
        return e.openRaw(blob, offset);
      }

      @Override
      public String label() {
        return e.label();
      }
    };
  }

  @Override
  public Optional<Digest> peekDigest() {
    for (RegistrySource e : endpoints) {
      try {
        Optional<Digest> d = e.peekDigest();
        if (d.isPresent()) {
          return d;
        }
      } catch (RegistryException ex) {
        LOG.debug("{}: {}", e.label(), ex.getMessage());
      }
    }
    return Optional.empty();
  }

  @Override
  public String imageName() {
    return endpoints.get(endpoints.size() - 1).imageName();
  }

  @Override
  public void close() {
    endpoints.forEach(RegistrySource::close);
  }
}
