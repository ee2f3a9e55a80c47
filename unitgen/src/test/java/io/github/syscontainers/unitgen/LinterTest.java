package io.github.syscontainers.unitgen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The rules of syscontainers-lint (§11.3): Dockerfile rules on small Dockerfiles, the rest on the corpus. */
class LinterTest {
  static final Linter.GitStatus CLEAN_GIT = (dir, file) -> Optional.of("nothing to commit");
  static final Linter.GitStatus NO_GIT = (dir, file) -> Optional.empty();

  @TempDir Path tmp;

  static List<String> messages(List<Linter.Finding> findings) {
    return findings.stream().map(f -> f.level() + " " + f).toList();
  }

  @Test
  void dockerfileRules() throws Exception {
    Files.writeString(tmp.resolve("service.template"), "[Service]\nExecStart=$EXEC_START\nExecStop=$EXEC_STOP\nWorkingDirectory=$DESTDIR\n");
    Files.writeString(tmp.resolve("manifest.json"), "{\"defaultValues\": {}}");
    Files.writeString(tmp.resolve("tmpfiles.template"), "d /x - - - - -\n");
    Files.writeString(tmp.resolve("config.json.template"), "{\"root\":{\"path\":\"rootfs\",\"readonly\":true},\"process\":{\"terminal\":false}}");
    Files.writeString(
        tmp.resolve("Dockerfile"),
        "FROM fedora\nMAINTAINER Jane <j@x>\n# a comment\nRUN dnf install -y \\\n  etcd\nADD service.template /exports/\n"
            + "COPY manifest.json /exports\nCOPY foo /export/\n");
    assertThat(messages(Linter.lint(tmp, CLEAN_GIT)))
        .containsExactlyInAnyOrder(
            "WARNING Dockerfile: Found MAINTAINER Jane <j@x>.  Please use LABEL maintainer=Jane <j@x>",
            "WARNING Dockerfile: Found /export.  Did you mean /exports/?",
            "WARNING Dockerfile: Found 'dnf/yum install' command without '--setopt=tsflags=nodocs'. Please add the flag"
                + " to reduce image size unless there is need for documentation.",
            "WARNING Dockerfile: Found ADD for service.template.  Please use COPY",
            "WARNING Dockerfile: Missing trailing / after exports",
            "WARNING Dockerfile: File config.json.template present but not added in the Dockerfile",
            "WARNING Dockerfile: File tmpfiles.template present but not added in the Dockerfile");
  }

  @Test
  void configAndServiceRulesWithTheirLevels() throws Exception {
    Files.writeString(tmp.resolve("Dockerfile"), "FROM x\nCOPY config.json /exports/\n");
    Files.writeString(
        tmp.resolve("config.json"),
        "{\"root\":{\"path\":\"root\"},\"process\":{},\"linux\":{\"selinuxProcessLabel\":\"x\"},"
            + "\"mounts\":[{\"type\":\"rbind\",\"source\":\"/var/lib/x\"},{\"source\":\"/run/y\"}]}");
    Files.writeString(tmp.resolve("service.template"), "[Service]\nExecStart=/usr/bin/foo $MISSING $$\n");
    assertThat(messages(Linter.lint(tmp, NO_GIT)))
        .contains(
            "WARNING " + tmp.getFileName() + ": The project is not using git.  Why?",
            "ERROR config.json: file found, it does not support template substitutions. Use config.json.template instead.",
            "ERROR config.json: Unknown mount type rbind.  Use bind",
            "WARNING config.json: found mount point /var/lib.  Use ${STATE_DIRECTORY} instead",
            "WARNING config.json: found mount point /run.  Use ${RUN_DIRECTORY} instead",
            "WARNING config.json: root/path must be 'rootfs'",
            "ERROR config.json: root/readonly must be true",
            "ERROR config.json: process/terminal must be false",
            "ERROR config.json: linux/selinuxProcessLabel not valid.  Use process/selinuxLabel",
            "WARNING service.template: ExecStart can be automatically generated.  You can use ExecStart=$EXEC_START",
            "WARNING service.template: Could not find ExecStop=",
            "WARNING service.template: Could not find WorkingDirectory=",
            "WARNING manifest.json: Missing manifest.json file. A default will be used.",
            "WARNING manifest.json: Missing default value for MISSING")
        .noneMatch(m -> m.contains("value for $"));
  }

  @Test
  void missingPathsUseAtomicsMessages() {
    assertThatThrownBy(() -> Linter.lint(tmp.resolve("nope"), NO_GIT)).hasMessage("The path " + tmp.resolve("nope") + " does not exist");
    assertThatThrownBy(() -> Linter.lint(tmp, NO_GIT)).hasMessage("The Dockerfile is missing");
  }

  /** The corpus has templates but no Dockerfiles: each gets the one that copies its files to /exports/. */
  @Test
  void corpusImagesLintWithWarningsOnly() throws Exception {
    Path corpus = CorpusIT.findShared();
    if (corpus == null) {
      // without ../shared only our own fixtures run; under CI the corpus must be there
      org.junit.jupiter.api.Assertions.assertFalse(
          io.github.syscontainers.fixtures.Peers.underCi(), "../shared/corpus/atomic-system-containers is missing");
      corpus = Path.of("src/test/resources/corpus").toAbsolutePath();
    }
    List<String> all = new ArrayList<>();
    try (Stream<Path> dirs = Files.list(corpus)) {
      for (Path d : (Iterable<Path>) dirs.sorted()::iterator) {
        Path copy = tmp.resolve(d.getFileName());
        Files.createDirectories(copy);
        StringBuilder df = new StringBuilder("FROM scratch\n");
        try (Stream<Path> files = Files.list(d)) {
          for (Path f : (Iterable<Path>) files::iterator) {
            if (Files.isRegularFile(f)) {
              Files.copy(f, copy.resolve(f.getFileName()));
              df.append("COPY ").append(f.getFileName()).append(" /exports/\n");
            }
          }
        }
        Files.writeString(copy.resolve("Dockerfile"), df.toString());
        for (Linter.Finding f : Linter.lint(copy, CLEAN_GIT)) {
          all.add(d.getFileName() + " " + f.level() + " " + f);
        }
      }
    }
    assertThat(all).noneMatch(s -> s.contains(" ERROR "));
    if (corpus.endsWith("atomic-system-containers")) {
      assertThat(all)
          .contains(
              "kubeadm WARNING config.json.template: found mount point /run.  Use ${RUN_DIRECTORY} instead",
              "kubeadm WARNING config.json.template: found mount point /var/lib.  Use ${STATE_DIRECTORY} instead",
              "net-snmp WARNING config.json.template: found mount point /var/lib.  Use ${STATE_DIRECTORY} instead",
              "kubeadm WARNING manifest.json: Missing manifest.json file. A default will be used.",
              "azure WARNING config.json.template: Missing config.json.template file. A default will be used.",
              "buildah-fedora WARNING service.template: Missing service.template file. A default will be used.");
    }
  }
}
