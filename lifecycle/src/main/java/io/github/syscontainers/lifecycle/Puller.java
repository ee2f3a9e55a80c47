package io.github.syscontainers.lifecycle;

import io.github.syscontainers.model.Descriptor;
import io.github.syscontainers.model.Digest;
import io.github.syscontainers.model.Platform;
import io.github.syscontainers.objectstore.BrokenLayerStreamException;
import io.github.syscontainers.objectstore.ImageStore;
import io.github.syscontainers.objectstore.ImportBudget;
import io.github.syscontainers.objectstore.ImportLimits;
import io.github.syscontainers.objectstore.ObjectStoreException;
import io.github.syscontainers.objectstore.StoredImage;
import io.github.syscontainers.registry.ImageCheck;
import io.github.syscontainers.registry.ImageSource;
import io.github.syscontainers.registry.ProgressStream;
import io.github.syscontainers.registry.PartialBlobs;
import io.github.syscontainers.registry.RegistryException;
import io.github.syscontainers.registry.ResolvedImage;
import io.github.syscontainers.registry.SourceOptions;
import io.github.syscontainers.registry.SourceReference;
import io.github.syscontainers.registry.TopManifest;
import io.github.syscontainers.model.TransferEvent;
import io.github.syscontainers.registry.TransferListener;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Pulls an image into the store: resolves it at the source, streams every missing layer straight into the
 * object store's import (verified against its digest while it flows, and against its DiffID once decompressed;
 * the bytes a registry sent are kept in the repository's {@code tmp/partial-blobs} until the layer is imported, so
 * an interrupted pull continues where it stopped),
 * in parallel with a bounded pool, then records the config and the image commit last, so an interrupted pull
 * leaves no image that names missing layers.
 *
 * <p>Thread-safe.
 */
public final class Puller {
  private static final int MAX_PARALLEL = 3;

  private final ImageStore store;
  private final PartialBlobs partials;

  public Puller(ImageStore store) {
    this.store = store;
    this.partials = new PartialBlobs(store.repository().path().resolve("tmp").resolve("partial-blobs"));
  }

  /** Pulls {@code ref}; returns the image as stored. */
  public StoredImage pull(SourceReference ref, SourceOptions options, Platform platform) throws LifecycleException {
    try (ImageSource source = ImageSource.open(ref, options)) {
      Optional<StoredImage> current = upToDate(source);
      if (current.isPresent()) {
        // the policy of today decides on the image stored yesterday: its manifest is the one the reference names
        options.imageCheck().check(ref, source, new TopManifest(
            current.get().manifest().getBytes(java.nio.charset.StandardCharsets.UTF_8),
            current.get().manifestDigest().orElseThrow()));
        return current.get();
      }
      // the signature policy decides as soon as the manifest the reference names arrives, before another manifest,
      // the config or a layer is read: a refused image leaves nothing behind
      ImageCheck.Accepted[] verdict = new ImageCheck.Accepted[1];
      ResolvedImage image = source.resolve(platform, top -> verdict[0] = options.imageCheck().check(ref, source, top));
      ImageCheck.Accepted accepted = verdict[0];
      String name = source.imageName();
      List<Descriptor> layers = image.manifest().layers();
      List<Digest> diffIds = image.config().diffIds();
      List<Integer> missing = new ArrayList<>();
      ImportBudget budget = budget(options);
      for (int i = 0; i < layers.size(); i++) {
        if (!store.hasLayer(layers.get(i).digest())) {
          missing.add(i);
        } else {
          budget.alreadyStored(store.layerUncompressedSize(layers.get(i).digest()).orElse(0L));
          options.listener().on(new TransferEvent.Present(layers.get(i)));
        }
      }
      importLayers(source, layers, diffIds, missing, options.listener(), budget);
      if (image.diffIdsPending()) {
        image = image.completed(measuredDiffIds(layers));
      }
      store.storeConfig(image.manifest().config().digest(), image.configBytes());
      store.storeImage(name, image.manifestBytes(), image.manifestDigest(), accepted.signatures(),
          ImageProvenance.of(ref, source, image.topManifest(), image.manifestBytes(), accepted));
      return store.findImage(name).orElseThrow(() -> new LifecycleException("Image " + name + " not found"));
    } catch (RegistryException | ObjectStoreException e) {
      throw new LifecycleException(e.getMessage(), e);
    } catch (IOException e) {
      throw new LifecycleException("Tried to pull " + ref + " but failed: " + e.getMessage(), e);
    }
  }

  /** The image's budget: the store's configured limits, or those the caller set. */
  private ImportBudget budget(SourceOptions options) throws ObjectStoreException {
    ImportLimits limits = store.importLimits().with(options.maxLayerBytes(), options.maxImageBytes());
    return new ImportBudget(limits,
        "pass a larger --max-layer-size or --max-image-size (sizes such as 16G), or set max-layer-size or"
            + " max-image-size in the [" + ImportLimits.GROUP + "] group of " + store.repository().path().resolve("config"));
  }

  /**
   * The stored image, when the source's manifest digest (a {@code HEAD} for a registry) is the one already stored
   * under the same name: then nothing else is fetched. A tag that names an index is resolved as usual, because the
   * store records the platform's manifest.
   */
  private Optional<StoredImage> upToDate(ImageSource source) throws IOException {
    Optional<Digest> peeked = source.peekDigest();
    if (peeked.isEmpty()) {
      return Optional.empty();
    }
    Optional<StoredImage> stored = store.findImage(source.imageName());
    if (stored.isEmpty() || stored.get().manifestDigest().isEmpty() || !stored.get().manifestDigest().equals(peeked)) {
      return Optional.empty();
    }
    for (Digest layer : stored.get().layers()) {
      if (!store.hasLayer(layer)) {
        return Optional.empty();
      }
    }
    return stored;
  }

  /**
   * Why a layer's stream broke: a blob whose bytes are not the ones its digest names is the cause, and says so
   * when the rest of it is read through its verifier (the inflater failed first, on the damage); otherwise the
   * stream's own error stands.
   */
  private static IOException verdict(InputStream blob, BrokenLayerStreamException broken) {
    try {
      blob.transferTo(java.io.OutputStream.nullOutputStream());
    } catch (RegistryException digest) {
      digest.addSuppressed(broken);
      return digest;
    } catch (IOException e) {
      broken.addSuppressed(e);
    }
    return broken;
  }

  /** The DiffIDs the store recorded for {@code layers}, for an image whose config could not list them (schema 1). */
  private List<Digest> measuredDiffIds(List<Descriptor> layers) throws ObjectStoreException, LifecycleException {
    List<Digest> out = new ArrayList<>();
    for (Descriptor l : layers) {
      out.add(
          store.layerDiffId(l.digest())
              .orElseThrow(() -> new LifecycleException("Layer " + l.digest() + " vanished from the store; pull again")));
    }
    return out;
  }

  /**
   * Tries a partial pull of a layer with a table of contents from a registry ({@link PartialPull}); true when it
   * imported the layer, else the listener hears why it is fetched whole.
   */
  private boolean pulledInPart(ImageSource source, Descriptor layer, Optional<Digest> diffId, ImportBudget budget,
      TransferListener listener) throws IOException {
    Optional<io.github.syscontainers.objectstore.chunked.ChunkedLayer> chunked = PartialPull.applies(source, layer);
    if (chunked.isEmpty()) {
      return false;
    }
    PartialPull.Outcome o = new PartialPull(store).pull(source, layer, chunked.get(), diffId, budget);
    if (o instanceof PartialPull.Outcome.Imported) {
      PartialPull.Outcome.Imported i = (PartialPull.Outcome.Imported) o;
      listener.on(new TransferEvent.Partial(layer, i.fetched(), i.filesFetched(), i.filesReused()));
      return true;
    }
    listener.on(new TransferEvent.Whole(layer, ((PartialPull.Outcome.Whole) o).reason()));
    return false;
  }

  private void importLayers(
      ImageSource source, List<Descriptor> layers, List<Digest> diffIds, List<Integer> missing,
      TransferListener listener, ImportBudget budget) throws IOException {
    if (missing.isEmpty()) {
      return;
    }
    long bytes = 0;
    for (int i : missing) {
      bytes += Math.max(0, layers.get(i).size());
    }
    listener.fetching(bytes);
    ExecutorService pool = Executors.newFixedThreadPool(Math.min(MAX_PARALLEL, missing.size()));
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int i : missing) {
        Descriptor layer = layers.get(i);
        Optional<Digest> diffId = diffIds.isEmpty() ? Optional.empty() : Optional.of(diffIds.get(i));
        futures.add(
            pool.submit(
                () -> {
                  listener.on(new TransferEvent.Started(layer));
                  if (pulledInPart(source, layer, diffId, budget, listener)) {
                    return null;
                  }
                  try (PartialBlobs.Opened opened = partials.open(source, layer);
                      InputStream blob = new ProgressStream(opened.stream(), layer, listener)) {
                    if (opened.resumedFrom() > 0) {
                      listener.on(new TransferEvent.Resumed(layer, opened.resumedFrom(), "kept by an earlier pull"));
                    }
                    try {
                      store.importLayer(layer, blob, diffId, budget);
                    } catch (BrokenLayerStreamException e) {
                      throw verdict(blob, e);
                    }
                  } catch (IOException | RuntimeException e) {
                    listener.on(new TransferEvent.Failed(layer, String.valueOf(e.getMessage())));
                    throw e;
                  }
                  partials.finished(layer);
                  listener.on(new TransferEvent.Verified(layer));
                  return null;
                }));
      }
      for (Future<?> f : futures) {
        try {
          f.get();
        } catch (ExecutionException e) {
          futures.forEach(x -> x.cancel(true));
          Throwable c = e.getCause();
          if (c instanceof IOException) {
            throw (IOException) c;
          }
          throw new IOException(c);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("interrupted while pulling layers");
    } finally {
      pool.shutdownNow();
    }
  }
}
