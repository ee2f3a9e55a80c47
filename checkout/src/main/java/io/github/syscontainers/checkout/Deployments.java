package io.github.syscontainers.checkout;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * The deployments of containers in a checkout directory: {@code NAME.0} and {@code NAME.1}, and the symlink
 * {@code NAME} that names the active one. The symlink is relative ({@code NAME -> NAME.0}), so it stays right when
 * the directory is seen through an alternate root, and it is flipped atomically: a temporary symlink renamed over
 * it.
 *
 * <p>Thread-safe; callers serialise changes to one container with a lock.
 */
public final class Deployments {
  private final Path checkoutDir;

  public Deployments(Path checkoutDir) {
    this.checkoutDir = checkoutDir;
  }

  /** Returns the checkout directory. */
  public Path checkoutDir() {
    return checkoutDir;
  }

  /** Returns {@code CHECKOUT/NAME.N}. */
  public Path deployment(String name, int slot) {
    return checkoutDir.resolve(name + "." + slot);
  }

  /** Returns {@code CHECKOUT/NAME}, the symlink. */
  public Path link(String name) {
    return checkoutDir.resolve(name);
  }

  /** Returns true when {@code CHECKOUT/NAME} exists, as a symlink or otherwise. */
  public boolean isInstalled(String name) {
    return Files.exists(link(name), LinkOption.NOFOLLOW_LINKS);
  }

  /** Returns the active deployment directory, if the symlink exists and points at one. */
  public Optional<Path> active(String name) throws CheckoutException {
    Path link = link(name);
    if (!Files.isSymbolicLink(link)) {
      return Optional.empty();
    }
    try {
      Path target = Files.readSymbolicLink(link);
      return Optional.of(checkoutDir.resolve(target).normalize());
    } catch (IOException e) {
      throw new CheckoutException("Tried to read the symlink " + link + " but failed: " + e, e);
    }
  }

  /** Returns the slot an update writes into: 1 when the active deployment is {@code NAME.0}, else 0. */
  public int nextSlot(String name) throws CheckoutException {
    return active(name).map(p -> p.getFileName().toString().endsWith(".0") ? 1 : 0).orElse(0);
  }

  /** Points {@code CHECKOUT/NAME} at {@code NAME.slot}, replacing any previous symlink atomically. */
  public void activate(String name, int slot) throws CheckoutException {
    Path link = link(name);
    Path tmp = checkoutDir.resolve("." + name + ".link-" + ProcessHandle.current().pid());
    try {
      Files.deleteIfExists(tmp);
      Files.createSymbolicLink(tmp, Path.of(name + "." + slot));
      Files.move(tmp, link, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      try {
        Files.deleteIfExists(tmp);
      } catch (IOException ignored) {
        // nothing else to do
      }
      throw new CheckoutException("Tried to point " + link + " at " + name + "." + slot + " but failed: " + e, e);
    }
  }
}
