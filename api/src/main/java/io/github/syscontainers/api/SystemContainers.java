package io.github.syscontainers.api;

import io.github.syscontainers.lifecycle.ContainerRecord;
import io.github.syscontainers.lifecycle.Containers;
import io.github.syscontainers.lifecycle.Edge;
import io.github.syscontainers.lifecycle.Environment;
import io.github.syscontainers.lifecycle.LayoutResolver;
import io.github.syscontainers.lifecycle.LifecycleException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The entry point for JVM programs and tests: a facade on one host root and its store, with one command object per
 * verb of the CLI ({@code pull()}, {@code install()}, {@code update()}, {@code rollback()}, {@code uninstall()},
 * {@code autoUpdate()}, {@code run()}, {@code verify()}, {@code listImages()}, {@code copy()}, {@code trust()}, …),
 * each with setters named after the CLI's flags and a {@code call()} that returns a record. The CLI itself runs every
 * verb through it.
 *
 * <pre>{@code
 * SystemContainers sc = SystemContainers.open(Path.of("/tmp/root"));   // an alternate root: no systemd needed
 * Installed web = sc.install().setImage("oci-archive:/tmp/web.tar").setName("web").setValue("PORT", "8080").call();
 * String unit = web.unit().orElseThrow();
 * sc.update().setName("web").setValue("PORT", "8081").call();
 * sc.rollback().setName("web").call();
 * sc.uninstall().setName("web").call();
 * }</pre>
 *
 * <p>Paths follow atomic (and the CLI): the checkout directory is {@code ROOT/var/lib/containers/atomic} (or what
 * {@code ATOMIC_OSTREE_CHECKOUT_PATH} and {@code /etc/atomic.conf} say for the real host), the store
 * {@code CHECKOUT/.storage/ostree}. Calls on one facade may run on several threads; two that change the same container
 * at once are refused, one of them, with a clear message, as the CLI's are.
 */
public final class SystemContainers {
  private final Session session;

  private SystemContainers(Session session) {
    this.session = session;
  }

  /** A facade on an alternate root ({@code --root DIR}): host files, units and the store all under {@code root}. */
  public static SystemContainers open(Path root) throws SystemContainersException {
    return builder().root(root).build();
  }

  /** A facade on this host ({@code /}), as the CLI without {@code --root}. */
  public static SystemContainers host() throws SystemContainersException {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Options of a facade. */
  public static final class Builder {
    private Path root;
    private Consumer<Message> messages = m -> {};

    private Builder() {}

    /** {@code --root DIR}: an alternate root. */
    public Builder root(Path root) {
      this.root = Objects.requireNonNull(root, "root");
      return this;
    }

    /** Where the lines the CLI would print go (default: nowhere). */
    public Builder messages(Consumer<Message> messages) {
      this.messages = Objects.requireNonNull(messages, "messages");
      return this;
    }

    public SystemContainers build() throws SystemContainersException {
      Environment env = Environment.current();
      try {
        return new SystemContainers(
            new Session(env, LayoutResolver.resolve(env, Optional.ofNullable(root)), Optional.ofNullable(root),
                messages));
      } catch (LifecycleException e) {
        throw Session.failure("open", root == null ? "/" : root.toString(), e);
      }
    }
  }

  /** The checkout directory: where the deployments ({@code NAME.0}, {@code NAME.1}) are. */
  public Path checkoutDirectory() {
    return session.layout().checkoutDir();
  }

  public PullCommand pull() {
    return new PullCommand(session);
  }

  public InstallCommand install() {
    return new InstallCommand(session);
  }

  public UpdateCommand update() {
    return new UpdateCommand(session);
  }

  public RollbackCommand rollback() {
    return new RollbackCommand(session);
  }

  public UninstallCommand uninstall() {
    return new UninstallCommand(session);
  }

  public AutoUpdateCommand autoUpdate() {
    return new AutoUpdateCommand(session);
  }

  /** {@code containers update --all}: every container to the latest stored id of its image. */
  public UpdateAllCommand updateAll() {
    return new UpdateAllCommand(session);
  }

  /** {@code containers update --download-only}: the image an update would switch to, fetched now. */
  public DownloadCommand download() {
    return new DownloadCommand(session);
  }

  /** {@code containers list}: the installed containers and their services' state. */
  public ListContainersCommand listContainers() {
    return new ListContainersCommand(session);
  }

  /** {@code run}: start a container, run a command in it, or run an image once. */
  public RunCommand run() {
    return new RunCommand(session);
  }

  /** {@code stop NAME}. */
  public StopCommand stop() {
    return new StopCommand(session);
  }

  /** {@code verify NAME}: rootfs files against the repository, stored signatures against today's policy. */
  public VerifyCommand verify() {
    return new VerifyCommand(session);
  }

  /** {@code images list}. */
  public ListImagesCommand listImages() {
    return new ListImagesCommand(session);
  }

  /** {@code images info IMAGE}. */
  public ImageInfoCommand imageInfo() {
    return new ImageInfoCommand(session);
  }

  /** {@code images tag SRC TARGET}. */
  public TagImageCommand tagImage() {
    return new TagImageCommand(session);
  }

  /** {@code images delete}. */
  public DeleteImagesCommand deleteImages() {
    return new DeleteImagesCommand(session);
  }

  /** {@code images update --all} (one image: {@link #pull()}). */
  public UpdateImagesCommand updateImages() {
    return new UpdateImagesCommand(session);
  }

  /** {@code images prune}. */
  public PruneCommand prune() {
    return new PruneCommand(session);
  }

  /** {@code copy SOURCE DESTINATION}, as skopeo copy. */
  public CopyCommand copy() {
    return new CopyCommand(session);
  }

  /** {@code push IMAGE [DESTINATION]}, as podman push. */
  public PushCommand push() {
    return new PushCommand(session);
  }

  /** {@code save -o FILE IMAGE…}, as podman save. */
  public SaveCommand save() {
    return new SaveCommand(session);
  }

  /** {@code sign IMAGE…}: a GPG or sigstore signature of each image. */
  public SignCommand sign() {
    return new SignCommand(session);
  }

  /** {@code trust show|add|delete|default|reset}: the root's signature policy. */
  public TrustCommands trust() {
    return new TrustCommands(session);
  }

  /** {@code generate-sigstore-key}: a sigstore key pair (no root needed). */
  public static GenerateSigstoreKeyCommand generateSigstoreKey() {
    return new GenerateSigstoreKeyCommand();
  }

  /** {@code lint DIR}: a system image's build directory checked (no root needed). */
  public static LintCommand lint() {
    return new LintCommand();
  }

  /** {@code fsck [--repair]}. */
  public FsckCommand fsck() {
    return new FsckCommand(session);
  }

  /** {@code mount IMAGE|NAME DIR} and {@code umount DIR}. */
  public MountCommand mount() {
    return new MountCommand(session);
  }

  /**
   * {@code auto-update --install-timer}: writes {@code syscontainers-auto-update.service} (running {@code command}
   * {@code auto-update}) and {@code .timer} ({@code OnCalendar=onCalendar}, {@code Persistent=true},
   * {@code RandomizedDelaySec=randomizedDelay}), reloads systemd and enables and starts the timer.
   */
  public void installAutoUpdateTimer(List<String> command, String onCalendar, java.time.Duration randomizedDelay)
      throws SystemContainersException {
    try {
      new io.github.syscontainers.lifecycle.AutoUpdateUnits(session.layout(), Edge.real(session.layout()),
          session.notices()).install(command, onCalendar, randomizedDelay);
    } catch (LifecycleException e) {
      throw Session.failure("auto-update", "syscontainers-auto-update.timer", e);
    }
  }

  /** An installed container's active deployment. */
  public Installed container(String name) throws SystemContainersException {
    return session.installed("container", name);
  }

  /** Every installed container's active deployment, by name ({@code containers list -a}). */
  public List<Installed> containers() throws SystemContainersException {
    try {
      List<Installed> out = new ArrayList<>();
      for (ContainerRecord c : new Containers(session.layout(), Edge.real(session.layout())).list()) {
        out.add(session.installed("containers", c.name()));
      }
      return out;
    } catch (LifecycleException e) {
      throw Session.failure("containers", null, e);
    }
  }
}
