package io.github.syscontainers.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.syscontainers.fixtures.Exec;
import io.github.syscontainers.fixtures.LayerBuilder;
import io.github.syscontainers.fixtures.Peers;
import io.github.syscontainers.fixtures.SampleImage;
import io.github.syscontainers.fixtures.TestImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The walking skeleton end to end, through {@code ./syscontainers}: install the sample from an oci-archive into an
 * alternate root, check the result with the real ostree, systemd-analyze, systemd-tmpfiles and runc, uninstall.
 */
class InstallIT {
  static final String GREETING = "Hello from the syscontainers sample container hello: Hello, World";

  @TempDir Path tmp;
  Path archive;
  Path root;
  Path checkout;

  @BeforeEach
  void buildSample() throws Exception {
    archive = tmp.resolve("hello.tar");
    SampleImage.build(Launcher.TOP.resolve("examples/hello")).writeOciArchive(archive, "latest");
    root = tmp.resolve("root");
    checkout = root.resolve("var/lib/containers/atomic");
  }

  private Exec.Result install(String name, String source, String... extra) throws Exception {
    List<String> args = new java.util.ArrayList<>(List.of("install", "--system", "--name", name, "--root", root.toString()));
    args.addAll(List.of(extra));
    args.add(source);
    return Launcher.run(args.toArray(String[]::new));
  }

  @Test
  void installsTheSampleAndUninstallsIt() throws Exception {
    Peers.requireRoot();
    Exec.Result r = install("hello", "oci-archive:" + archive);
    assertThat(r.exitCode()).as(r.output()).isZero();
    assertThat(r.stdout())
        .contains("Extracting to /var/lib/containers/atomic/hello.0")
        .contains("systemd-tmpfiles --create /etc/tmpfiles.d/hello.conf")
        .contains("systemctl enable hello");
    assertThat(Launcher.lines(r.stderr())).singleElement().asString().contains("skipped systemctl daemon-reload");

    Path d = checkout.resolve("hello.0");
    for (String f : List.of("rootfs/hello/hello.sh", "config.json", "info", "hello.service", "tmpfiles-hello.conf")) {
      assertThat(d.resolve(f)).exists();
    }
    assertThat(Files.readSymbolicLink(checkout.resolve("hello"))).isEqualTo(Path.of("hello.0"));
    Path unit = root.resolve("etc/systemd/system/hello.service");
    assertThat(unit).hasSameTextualContentAs(d.resolve("hello.service"));
    assertThat(Files.readString(unit))
        .contains("WorkingDirectory=/var/lib/containers/atomic/hello.0")
        .contains("run -d --pid-file /run/container-hello.pid 'hello'");
    assertThat(root.resolve("etc/tmpfiles.d/hello.conf")).content().isEqualTo("d /var/lib/hello 0755 0 0 -\n");
    assertThat(root.resolve("etc/systemd/system/multi-user.target.wants/hello.service")).isSymbolicLink();
    assertThat(Files.readString(d.resolve("config.json"))).contains("\"GREETING=Hello, World\"");

    // the real ostree accepts the repository we wrote and lists the sample's files
    Path repo = checkout.resolve(".storage/ostree");
    String ostree = Peers.require("ostree").toString();
    Exec.Result fsck = Exec.run(List.of(ostree, "fsck", "--repo=" + repo));
    assertThat(fsck.exitCode()).as(fsck.output()).isZero();
    assertThat(fsck.output()).contains("no errors found");
    String layerRef =
        Exec.run(List.of(ostree, "refs", "--repo=" + repo)).stdout().lines()
            .filter(l -> l.matches("ociimage/[0-9a-f]{64}"))
            .filter(l -> {
              try {
                return Exec.run(List.of(ostree, "ls", "--repo=" + repo, l, "/hello")).exitCode() == 0;
              } catch (Exception e) {
                return false;
              }
            })
            .findFirst()
            .orElseThrow();
    Exec.Result ls = Exec.run(List.of(ostree, "ls", "-R", "--repo=" + repo, layerRef));
    assertThat(ls.stdout()).contains("/hello/hello.sh", "/exports/config.json.template", "/exports/manifest.json");
    assertThat(Exec.run(List.of(ostree, "refs", "--repo=" + repo)).stdout()).contains("ociimage/hello_3Alatest");

    // systemd accepts the unit, and tmpfiles applies the conf in a root of its own
    Exec.Result verify = Exec.run(List.of(Peers.require("systemd-analyze").toString(), "verify", unit.toString()));
    assertThat(verify.exitCode()).as(verify.output()).isZero();
    Path tmpfilesRoot = tmp.resolve("tmpfiles-root");
    Files.createDirectories(tmpfilesRoot);
    Exec.Result tf =
        Exec.run(
            List.of(
                Peers.require("systemd-tmpfiles").toString(), "--root=" + tmpfilesRoot, "--create",
                root.resolve("etc/tmpfiles.d/hello.conf").toString()));
    assertThat(tf.exitCode()).as(tf.output()).isZero();
    assertThat(tmpfilesRoot.resolve("var/lib/hello")).isDirectory();

    // runc runs the installed sample from NAME.0 with the generated config.json
    String runc = Peers.require("runc").toString();
    String id = "sc-it-" + UUID.randomUUID().toString().substring(0, 8);
    try {
      Exec.Result run = Exec.run(List.of(runc, "run", id), d, Map.of());
      assertThat(run.exitCode()).as(run.output()).isZero();
      assertThat(run.stdout()).contains(GREETING);
    } finally {
      Exec.run(List.of(runc, "delete", "-f", id));
    }

    // the rootfs is read-only for the container: a write into a hard-linked file fails and the store stays intact
    Path bundle = Files.createDirectories(tmp.resolve("writer"));
    var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
    var cfg = (com.fasterxml.jackson.databind.node.ObjectNode) mapper.readTree(d.resolve("config.json").toFile());
    ((com.fasterxml.jackson.databind.node.ObjectNode) cfg.get("root")).put("path", d.resolve("rootfs").toString());
    var args = ((com.fasterxml.jackson.databind.node.ObjectNode) cfg.get("process")).putArray("args");
    args.add("/bin/sh").add("-c").add("echo tampered >> /hello/hello.sh && echo WROTE || echo REFUSED");
    mapper.writeValue(bundle.resolve("config.json").toFile(), cfg);
    String writer = id + "-w";
    try {
      Exec.Result w = Exec.run(List.of(runc, "run", writer), bundle, Map.of());
      assertThat(w.stdout()).as(w.output()).contains("REFUSED").doesNotContain("WROTE");
      assertThat(w.output()).contains("Read-only file system");
    } finally {
      Exec.run(List.of(runc, "delete", "-f", writer));
    }
    assertThat(Exec.run(List.of(ostree, "fsck", "--repo=" + repo)).output()).contains("no errors found");
    assertThat(Launcher.run("fsck", "--root", root.toString()).stdout()).contains("no errors found");

    // the checkout recorded what it hard-linked, with the object each path is linked to
    List<String> record = Files.readAllLines(d.resolve("linked-files"));
    assertThat(record).anyMatch(l -> l.matches("[0-9a-f]{64} /hello/hello\\.sh"));
    assertThat(record).noneMatch(l -> l.startsWith("/") || l.contains("/rootfs/"));

    // an administrator's in-place edit of a hard-linked file: verify names it, --repair restores it from its source
    Files.writeString(d.resolve("rootfs/hello/hello.sh"), "echo tampered\n", java.nio.file.StandardOpenOption.APPEND);
    Exec.Result check = Launcher.run("verify", "--root", root.toString(), "hello");
    assertThat(check.exitCode()).isEqualTo(1);
    assertThat(check.stderr()).contains("Modified: /hello/hello.sh (object ").contains("verify --repair hello");
    Exec.Result noSource = Launcher.run("verify", "--repair", "--root", root.toString(), "hello");
    assertThat(noSource.exitCode()).isNotZero();
    assertThat(Launcher.lines(noSource.stderr())).singleElement().asString().contains("--source SOURCE hello");
    Exec.Result repaired =
        Launcher.run("verify", "--repair", "--source", "oci-archive:" + archive, "--root", root.toString(), "hello");
    assertThat(repaired.exitCode()).as(repaired.output()).isZero();
    assertThat(repaired.stdout()).contains("Restored /hello/hello.sh");
    assertThat(d.resolve("rootfs/hello/hello.sh")).content().doesNotContain("tampered").contains("Hello from");
    assertThat((Integer) Files.getAttribute(d.resolve("rootfs/hello/hello.sh"), "unix:nlink")).isGreaterThan(1);
    assertThat(Exec.run(List.of(ostree, "fsck", "--repo=" + repo)).output()).contains("no errors found");

    Exec.Result again = install("hello", "oci-archive:" + archive);
    assertThat(again.exitCode()).isZero();
    assertThat(again.stdout().strip()).isEqualTo("hello already present");

    Exec.Result un = Launcher.run("uninstall", "hello", "--root", root.toString());
    assertThat(un.exitCode()).as(un.output()).isZero();
    assertNothingLeft("hello");
    assertThat(repo.resolve("config")).exists();
  }

  @Test
  void setValuesReachTheConfigAndPlacesFollowTheEnvironment() throws Exception {
    Peers.requireRoot();
    Path co = tmp.resolve("elsewhere/checkout");
    Path repo = tmp.resolve("elsewhere/repo");
    Exec.Result r =
        Launcher.run(
            Map.of("ATOMIC_OSTREE_CHECKOUT_PATH", co.toString(), "ATOMIC_OSTREE_REPO", repo.toString()),
            "install", "--system", "--name", "bonjour", "--set", "GREETING=Bonjour", "--root",
            root.toString(), "oci-archive:" + archive);
    assertThat(r.exitCode()).as(r.output()).isZero();
    assertThat(co.resolve("bonjour.0/config.json")).content().contains("\"GREETING=Bonjour\"");
    assertThat(repo.resolve("config")).content().contains("mode=bare");
    assertThat(checkout.resolve("bonjour")).doesNotExist();
    assertThat(root.resolve("etc/systemd/system/bonjour.service")).exists();
  }

  @Test
  void aValueThatWouldBreakConfigJsonIsNamedAndNothingIsLeft() throws Exception {
    Exec.Result r = install("quoted", "oci-archive:" + archive, "--set", "GREETING=say \"hi\"");
    assertThat(r.exitCode()).isNotZero();
    assertThat(Launcher.lines(r.stderr()))
        .singleElement()
        .asString()
        .startsWith("Invalid json in configuration file: /var/lib/containers/atomic/quoted.0/config.json.")
        .contains("The value of GREETING has a quote");
    assertNothingLeft("quoted");
  }

  @Test
  void installsAnImageWithoutExportsWithDefaults() throws Exception {
    Peers.requireRoot();
    Path plain = tmp.resolve("plain.tar");
    TestImage.builder()
        .layer(
            LayerBuilder.layer()
                .dir("app", 0755)
                .file("app/run", "#!/bin/sh\necho plain\n", 0755)
                .file("etc/passwd", "root:x:0:0::/root:/bin/sh\napp:x:1234:4321::/app:/bin/sh\n", 0644))
        .cmd("/app/run")
        .user("app")
        .env("PATH=/usr/bin:/bin")
        .build()
        .writeOciArchive(plain, "1");
    Exec.Result r = install("plain", "oci-archive:" + plain);
    assertThat(r.exitCode()).as(r.output()).isZero();
    assertThat(r.stdout())
        .contains("Warning: /exports directory not found.  Default config files will be generated.")
        .contains("Warning: You may want to modify `/var/lib/containers/atomic/plain.0/config.json` before starting");
    String config = Files.readString(checkout.resolve("plain.0/config.json"));
    assertThat(config).contains("\"readonly\": true", "\"path\": \"rootfs\"", "\"/app/run\"", "\"PATH=/usr/bin:/bin\"");
    assertThat(config).contains("\"uid\": 1234", "\"gid\": 4321");
    assertThat(root.resolve("etc/systemd/system/plain.service")).content().contains("Description=plain");
  }

  @Test
  void hostFilesAreCopiedRenamedTemplatedAndRemovedUnlessChanged() throws Exception {
    Peers.requireRoot();
    Path img = tmp.resolve("hostfs.tar");
    TestImage.builder()
        .layer(
            LayerBuilder.layer()
                .file(
                    "exports/manifest.json",
                    "{\"defaultValues\": {\"GREETING\": \"hi\"},"
                        + " \"renameFiles\": {\"/usr/local/bin/tool\": \"/usr/local/bin/${NAME}ctl\","
                        + " \"/etc/tool\": \"$CONF_DIRECTORY/$NAME\"},"
                        + " \"installedFilesTemplate\": [\"/etc/web/motd\"]}",
                    0644)
                .file("exports/service.template", "[Service]\nExecStart=$EXEC_START\n", 0644)
                .file("exports/hostfs/usr/local/bin/tool", "#!/bin/sh\necho tool\n", 0755)
                .file("exports/hostfs/etc/tool/tool.conf", "conf\n", 0644)
                .file("exports/hostfs/etc/web/motd", "Welcome to $NAME, $GREETING\n", 0644)
                .file("exports/hostfs/etc/existing.conf", "from the image\n", 0644)
                .dir("exports/hostfs/var/lib/web-state", 0755))
        .build()
        .writeOciArchive(img, "1");
    Files.createDirectories(root.resolve("etc"));
    Files.writeString(root.resolve("etc/existing.conf"), "the admin's\n");

    Exec.Result r = install("web", "oci-archive:" + img);
    assertThat(r.exitCode()).as(r.output()).isZero();
    assertThat(r.stdout())
        .contains("File /etc/existing.conf already exists")
        .contains("Created file /usr/local/bin/webctl")
        .contains("Created file /etc/web/tool.conf")
        .contains("Created file /etc/web/motd")
        .contains("Created file /var/lib/web-state");
    assertThat(root.resolve("usr/local/bin/webctl")).content().isEqualTo("#!/bin/sh\necho tool\n");
    assertThat((Integer) Files.getAttribute(root.resolve("usr/local/bin/webctl"), "unix:mode") & 0777).isEqualTo(0755);
    assertThat(root.resolve("etc/web/motd")).content().isEqualTo("Welcome to web, hi\n");
    assertThat(root.resolve("etc/existing.conf")).content().isEqualTo("the admin's\n");
    assertThat(checkout.resolve("web.0/info")).content()
        .contains("\"/usr/local/bin/webctl\": \"")
        .contains("\"/var/lib/web-state\": \"0\"")
        .contains("\"/etc/tool\": \"/etc/web\"");

    Files.writeString(root.resolve("usr/local/bin/webctl"), "# changed by the admin\n");
    Exec.Result un = Launcher.run("uninstall", "web", "--root", root.toString());
    assertThat(un.exitCode()).as(un.output()).isZero();
    assertThat(un.stdout()).contains("Will not delete /usr/local/bin/webctl as it was manually modified.");
    assertThat(root.resolve("usr/local/bin/webctl")).exists();
    assertThat(root.resolve("etc/web/motd")).doesNotExist();
    assertThat(root.resolve("etc/web/tool.conf")).doesNotExist();
    assertThat(root.resolve("var/lib/web-state")).doesNotExist();
    assertThat(root.resolve("etc/existing.conf")).content().isEqualTo("the admin's\n");
    assertNothingLeft("web");
  }

  @Test
  void imagesInfoListsLabelsAndTemplateVariables() throws Exception {
    Path img = tmp.resolve("vars.tar");
    TestImage.builder()
        .layer(
            LayerBuilder.layer()
                .file("exports/manifest.json", "{\"defaultValues\": {\"PORT\": \"8081\"}}", 0644)
                .file("exports/service.template", "[Service]\nExecStart=$EXEC_START\n", 0644)
                .file("exports/config.json.template", "{\"env\": [\"$PORT\", \"$VAR_WITH_NO_DEFAULT\", \"$$\"]}", 0644)
                .file("exports/old.template", "$GONE\n", 0644))
        .layer(LayerBuilder.layer().whiteout("exports/old.template"))
        .label("atomic.type", "system")
        .build()
        .writeOciArchive(img, "1");
    assertThat(Launcher.run("pull", "--root", root.toString(), "oci-archive:" + img).exitCode()).isZero();
    Exec.Result info = Launcher.run("images", "info", "--root", root.toString(), "vars:1");
    assertThat(info.exitCode()).as(info.output()).isZero();
    assertThat(info.stdout())
        .startsWith("Image Name: vars:1\natomic.type: system\n")
        .contains("\n\n\nTemplate variables with default value, but overridable with --set:\nPORT: 8081\n")
        .contains("\n\n\nTemplate variables that has no default value, and must be set with --set:\n"
            + "VAR_WITH_NO_DEFAULT: {DEF_VALUE}\n")
        .doesNotContain("GONE")
        .doesNotContain("EXEC_START");
    Exec.Result missing = Launcher.run("images", "info", "--root", root.toString(), "nope:1");
    assertThat(Launcher.lines(missing.stderr())).singleElement().asString().startsWith("Image nope:1 not found (looked for");
  }

  @Test
  void unreplacedTemplateVariableFailsWithAtomicsMessageAndLeavesNothing() throws Exception {
    Path bad = tmp.resolve("bad.tar");
    TestImage.builder()
        .layer(
            LayerBuilder.layer()
                .file("exports/service.template", "[Service]\nExecStart=$EXEC_START $VAR_WITH_NO_DEFAULT\n", 0644))
        .build()
        .writeOciArchive(bad, "1");
    Exec.Result r = install("bad", "oci-archive:" + bad);
    assertThat(r.exitCode()).isNotZero();
    assertThat(Launcher.lines(r.stderr()))
        .singleElement()
        .asString()
        .contains("/exports/service.template' still contains an unreplaced value for: ''VAR_WITH_NO_DEFAULT''");
    assertNothingLeft("bad");
  }

  @Test
  void badArchivesAndNamesFailWithOneLineAndLeaveNothing() throws Exception {
    byte[] whole = Files.readAllBytes(archive);
    Path truncated = tmp.resolve("truncated.tar");
    Files.write(truncated, java.util.Arrays.copyOf(whole, whole.length / 2));
    Path corrupt = tmp.resolve("corrupt.tar");
    byte[] flipped = whole.clone();
    TestImage sample = SampleImage.build(Launcher.TOP.resolve("examples/hello"));
    int at = indexOf(whole, sample.layers().get(0).data()) + sample.layers().get(0).data().length / 2;
    flipped[at] ^= 0x55;
    Files.write(corrupt, flipped);
    Path notTar = tmp.resolve("not.tar");
    Files.writeString(notTar, "this is not an archive\n");

    record Case(String name, String source, String message) {}
    List<Case> cases =
        List.of(
            new Case("missing", "oci-archive:" + tmp.resolve("nope.tar"), "no such file"),
            new Case("truncated", "oci-archive:" + truncated, "truncated"),
            new Case("corrupt", "oci-archive:" + corrupt, "corrupt"),
            new Case("nottar", "oci-archive:" + notTar, "not an oci-archive"),
            new Case("", "oci-archive:" + archive, "Invalid container name"),
            new Case("..", "oci-archive:" + archive, "Invalid container name"),
            new Case("a/b", "oci-archive:" + archive, "Invalid container name"),
            new Case("/", "oci-archive:" + archive, "Invalid container name"));
    for (Case c : cases) {
      Exec.Result r = install(c.name(), c.source());
      assertThat(r.exitCode()).as(c + ": " + r.output()).isNotZero();
      assertThat(Launcher.lines(r.stderr())).as(c.toString()).singleElement().asString().contains(c.message());
      if (!c.name().isEmpty() && !c.name().contains("/") && !c.name().equals("..")) {
        assertNothingLeft(c.name());
      }
    }
    assertThat(root.resolve("etc")).doesNotExist();
  }

  /**
   * Issue 27, item 8: names systemd or systemd-tmpfiles would expand or split, a value config.json would not hold as
   * given, and a --set without a name are refused up front with one line, before anything is fetched or written.
   */
  @Test
  void namesAndValuesAreValidatedOnceAndEarly() throws Exception {
    Peers.requireRoot();
    for (String name : List.of("a%b", "a;b", "a$b", "a*b", "a:b", "a b", "@x", "x@", "-x")) {
      Exec.Result r = install(name, "oci-archive:" + archive);
      assertThat(r.exitCode()).as(name + ": " + r.output()).isEqualTo(1);
      assertThat(Launcher.lines(r.stderr())).as(name).singleElement().asString()
          .startsWith("Invalid container name '" + name + "': ");
    }
    assertThat(checkout.resolve(".storage")).as("refused before the store was opened").doesNotExist();

    Exec.Result noName = install("x", "oci-archive:" + archive, "--set", "=x");
    assertThat(Launcher.lines(noName.stderr())).singleElement().asString()
        .isEqualTo("Invalid value '=x'.  Expected form NAME=VALUE");
    Exec.Result notVariable = install("x", "oci-archive:" + archive, "--set", "1X=y");
    assertThat(Launcher.lines(notVariable.stderr())).singleElement().asString().contains("cannot be a template variable");
    assertThat(checkout.resolve(".storage")).doesNotExist();

    // a\b is valid JSON, but it reads back as 'a' and a backspace: refused by name, nothing left behind
    Exec.Result backslash = install("bs", "oci-archive:" + archive, "--set", "GREETING=a\\b");
    assertThat(backslash.exitCode()).as(backslash.output()).isEqualTo(1);
    assertThat(Launcher.lines(backslash.stderr())).singleElement().asString()
        .contains("The value of GREETING has a quote, backslash or control character");
    assertNothingLeft("bs");
    Exec.Result quote = install("q", "oci-archive:" + archive, "--set", "GREETING=say \"hi\"");
    assertThat(Launcher.lines(quote.stderr())).singleElement().asString().contains("The value of GREETING");
    assertNothingLeft("q");
    Exec.Result fine = install("fine", "oci-archive:" + archive, "--set", "GREETING=a/b 100% ok");
    assertThat(fine.exitCode()).as(fine.output()).isZero();
    assertThat(checkout.resolve("fine.0/config.json")).content().contains("\"GREETING=a/b 100% ok\"");
  }

  @Test
  void displayPullsAndNamesTheTargetButInstallsNothing() throws Exception {
    Peers.requireRoot();
    Exec.Result r = install("hello", "oci-archive:" + archive, "--display");
    assertThat(r.exitCode()).as(r.output()).isZero();
    assertThat(r.stdout()).contains("Extracting to /var/lib/containers/atomic/hello.0");
    assertNothingLeft("hello");
    assertThat(Launcher.run("images", "list", "--root", root.toString()).stdout()).contains("hello");
  }

  /** Installs at once: different names all succeed; the same name is installed once, the others told so. */
  @Test
  void concurrentInstallsOfDifferentNamesSucceedAndOfOneNameInstallOnce() throws Exception {
    Peers.requireRoot();
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
    try {
      List<java.util.concurrent.Future<Exec.Result>> different = new java.util.ArrayList<>();
      for (String n : List.of("c1", "c2", "c3")) {
        different.add(pool.submit(() -> install(n, "oci-archive:" + archive)));
      }
      for (java.util.concurrent.Future<Exec.Result> f : different) {
        assertThat(f.get().exitCode()).as(f.get().output()).isZero();
      }
      for (String n : List.of("c1", "c2", "c3")) {
        assertThat(checkout.resolve(n + "/rootfs/hello/hello.sh")).exists();
      }
      List<java.util.concurrent.Future<Exec.Result>> same = new java.util.ArrayList<>();
      for (int i = 0; i < 3; i++) {
        same.add(pool.submit(() -> install("same", "oci-archive:" + archive)));
      }
      int installed = 0;
      for (java.util.concurrent.Future<Exec.Result> f : same) {
        Exec.Result r = f.get();
        if (r.exitCode() == 0 && !r.stdout().contains("same already present")) {
          installed++;
        } else {
          // the losers either saw the finished install or were stopped by the lock with a clear message
          assertThat(r.output()).containsAnyOf("same already present", "is changing the container same right now");
        }
      }
      assertThat(installed).isEqualTo(1);
      assertThat(checkout.resolve("same/rootfs/hello/hello.sh")).exists();
      assertThat(checkout.resolve("same.1")).doesNotExist();
      assertThat(Launcher.run("fsck", "--root", root.toString()).stdout()).contains("no errors found");
    } finally {
      pool.shutdownNow();
    }
  }

  private void assertNothingLeft(String name) {
    assertThat(checkout.resolve(name)).doesNotExist();
    assertThat(checkout.resolve(name + ".0")).doesNotExist();
    assertThat(checkout.resolve(name + ".1")).doesNotExist();
    assertThat(root.resolve("etc/systemd/system/" + name + ".service")).doesNotExist();
    assertThat(root.resolve("etc/tmpfiles.d/" + name + ".conf")).doesNotExist();
    assertThat(root.resolve("etc/systemd/system/multi-user.target.wants/" + name + ".service")).doesNotExist();
  }

  private static int indexOf(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i <= hay.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    throw new IllegalStateException("layer not found in archive");
  }
}
