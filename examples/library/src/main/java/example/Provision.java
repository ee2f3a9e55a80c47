package example;

import io.github.syscontainers.api.Installed;
import io.github.syscontainers.api.Pulled;
import io.github.syscontainers.api.SystemContainers;
import io.github.syscontainers.api.SystemContainersException;
import java.nio.file.Path;

/**
 * Provisions a host root the way an appliance builder would: pulls an image into the root's store and installs it as
 * a system container, through the syscontainers API, then says what it made.
 *
 * <pre>java -cp 'target/classes:target/lib/*' example.Provision ROOT oci-archive:/tmp/hello.tar</pre>
 */
public final class Provision {
  private Provision() {}

  /** Pulls {@code image} and installs it as {@code hello} under {@code root}, greeting in Swedish. */
  public static Installed provision(Path root, String image) throws SystemContainersException {
    SystemContainers sc = SystemContainers.builder()
        .root(root)
        .messages(m -> System.out.println((m.warning() ? "warning: " : "") + m.text()))
        .build();
    Pulled pulled = sc.pull().setImage(image).call();
    System.out.println("pulled " + pulled.name() + " (" + pulled.imageId().substring(0, 12) + ", "
        + pulled.layers().size() + " layer)");
    return sc.install().setImage(pulled.name()).setName("hello").setValue("GREETING", "Hej").call();
  }

  public static void main(String[] args) {
    if (args.length != 2) {
      System.err.println("usage: Provision ROOT IMAGE");
      System.exit(2);
    }
    try {
      Installed hello = provision(Path.of(args[0]), args[1]);
      System.out.println("installed " + hello.name() + " at " + hello.deployment());
      System.out.print(hello.unit().orElse("(no unit)"));
    } catch (SystemContainersException e) {
      System.err.println(e.verb() + ": " + e.getMessage());
      System.exit(e.exitCode() == 0 ? 1 : e.exitCode());
    }
  }
}
