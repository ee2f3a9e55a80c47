package io.github.syscontainers.api;

import io.github.syscontainers.lifecycle.LifecycleException;
import io.github.syscontainers.registry.SourceOptions;
import io.github.syscontainers.registry.SourceReference;
import io.github.syscontainers.trust.TrustCheck;
import io.github.syscontainers.trust.TrustException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * {@code syscontainers save -o FILE IMAGE…}, as {@code podman save}: stored images in one archive, each under its name,
 * layers they share stored once; each layer's tar rebuilt byte for byte from the tar-split record kept when it was
 * pulled, so the config and its DiffIDs are the pulled ones. Signatures stored with the images go along where the
 * format can take them.
 */
public final class SaveCommand {
  private final Session session;
  private final SourceSettings settings = new SourceSettings();
  private final List<String> images = new ArrayList<>();
  private Path output;
  private ArchiveFormat format = ArchiveFormat.DOCKER_ARCHIVE;

  SaveCommand(Session session) {
    this.session = session;
  }

  /** Adds stored images, by the names {@code images list} shows (at least one). */
  public SaveCommand addImage(String... names) {
    images.addAll(List.of(names));
    return this;
  }

  /** {@code -o FILE}: the archive (or directory, for the directory formats) to write (required). */
  public SaveCommand setOutput(Path output) {
    this.output = output;
    return this;
  }

  /** {@code --format} (default {@code docker-archive}). */
  public SaveCommand setFormat(ArchiveFormat format) {
    this.format = Objects.requireNonNull(format, "format");
    return this;
  }

  /** Where the signature stores are configured ({@code --registries.d}) and the progress. */
  public SaveCommand setSources(Sources sources) {
    settings.sources = Objects.requireNonNull(sources, "sources");
    return this;
  }

  public SaveCommand setProgress(Progress progress) {
    settings.progress = Objects.requireNonNull(progress, "progress");
    return this;
  }

  /** Writes the archive; one result per image, in the order given. */
  public List<Copied> call() throws SystemContainersException {
    Session.required(output, "save", "output");
    if (images.isEmpty()) {
      throw new SystemContainersException("save", null, "No image to save: add one before call()", 2, null);
    }
    SourceReference dest = destination(format, output);
    try {
      TrustCheck signatures = TrustCheck.load(settings.settings(session, true), Clock.systemUTC());
      return session.catalog().export(images, dest,
              SourceOptions.DEFAULT.withListener(SourceSettings.listener(settings.progress)), List.of(),
              Transfers.copyOptions(settings, Optional.empty()), OptionalLong.empty(), session.notices(),
              Optional.of(signatures), false)
          .stream().map(Transfers::copied).toList();
    } catch (TrustException e) {
      throw new SystemContainersException("save", images.get(0), e.getMessage(), 1, e);
    } catch (LifecycleException e) {
      throw Session.failure("save", images.get(0), e);
    }
  }

  private static SourceReference destination(ArchiveFormat format, Path output) {
    switch (format) {
      case OCI_ARCHIVE:
        return new SourceReference.OciArchive(output, Optional.empty());
      case OCI_DIR:
        return new SourceReference.OciLayout(output, Optional.empty());
      case DOCKER_DIR:
        return new SourceReference.Dir(output);
      case DOCKER_ARCHIVE:
      default:
        return new SourceReference.DockerArchive(output, Optional.empty());
    }
  }
}
