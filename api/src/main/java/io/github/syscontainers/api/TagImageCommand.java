package io.github.syscontainers.api;

import io.github.syscontainers.lifecycle.LifecycleException;

/** {@code syscontainers images tag SRC TARGET}: another name for a stored image (no byte is copied). */
public final class TagImageCommand {
  private final Session session;
  private String source;
  private String target;

  TagImageCommand(Session session) {
    this.session = session;
  }

  /** The stored image (required). */
  public TagImageCommand setSource(String source) {
    this.source = source;
    return this;
  }

  /** Its new name (required). */
  public TagImageCommand setTarget(String target) {
    this.target = target;
    return this;
  }

  public void call() throws SystemContainersException {
    Session.required(source, "images tag", "source image");
    Session.required(target, "images tag", "target name");
    try {
      session.catalog().tag(source, target);
    } catch (LifecycleException e) {
      throw Session.failure("images tag", source, e);
    }
  }
}
