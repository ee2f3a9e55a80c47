package io.github.syscontainers.registry;

import io.github.syscontainers.model.Descriptor;
import java.io.InputStream;

/** Opens the blobs of an image: a source ({@link ImageSource}), or an image store exporting what it holds. */
@FunctionalInterface
public interface BlobReader {
  /** Opens a blob; the stream fails at its end unless size and digest match. The caller closes it. */
  InputStream openBlob(Descriptor blob) throws RegistryException;
}
