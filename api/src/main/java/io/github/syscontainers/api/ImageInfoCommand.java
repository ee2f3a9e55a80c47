package io.github.syscontainers.api;

import io.github.syscontainers.lifecycle.ImageInfo;
import io.github.syscontainers.lifecycle.LifecycleException;
import java.util.List;

/** {@code syscontainers images info IMAGE}: a stored image's labels, template variables and provenance. */
public final class ImageInfoCommand {
  private final Session session;
  private String image;

  ImageInfoCommand(Session session) {
    this.session = session;
  }

  /** The image: its name in the store, or a short name the root's registries.conf resolves (required). */
  public ImageInfoCommand setImage(String image) {
    this.image = image;
    return this;
  }

  public ImageDetails call() throws SystemContainersException {
    Session.required(image, "images info", "image");
    try {
      ImageInfo.Report r = session.catalog().info(image);
      return new ImageDetails(r.name(), r.labels(), r.defaults(), List.copyOf(r.mustSet()), r.signatures(),
          r.pulled(), r.provenance().source(), r.provenance().decision());
    } catch (LifecycleException e) {
      throw Session.failure("images info", image, e);
    }
  }
}
