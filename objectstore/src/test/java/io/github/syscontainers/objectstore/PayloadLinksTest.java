package io.github.syscontainers.objectstore;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.syscontainers.fixtures.Exec;
import io.github.syscontainers.fixtures.LayerBuilder;
import io.github.syscontainers.fixtures.Peers;
import io.github.syscontainers.model.Descriptor;
import io.github.syscontainers.model.Digest;
import io.github.syscontainers.model.ImagePath;
import io.github.syscontainers.model.MediaType;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Payload links, the store's index of file contents by SHA-256, as ostree writes them: made at import for files over
 * {@code core.payload-link-threshold} (streamed large files and small ones in memory alike), one per content, the
 * first object kept; found by lookup; accepted by the real {@code ostree fsck}; removed by a prune with their object;
 * a wrong one named by fsck, and repair removes it and links the files again, also in a repository that set the
 * threshold after its files were stored.
 */
class PayloadLinksTest {
  @TempDir Path tmp;

  private static byte[] random(int size, long seed) {
    byte[] b = new byte[size];
    new Random(seed).nextBytes(b);
    return b;
  }

  private OstreeRepository repo(String name, String coreLines) throws Exception {
    OstreeRepository.openOrCreate(tmp.resolve(name), RepoMode.BARE_USER);
    String config = Files.readString(tmp.resolve(name + "/config"));
    Files.writeString(tmp.resolve(name + "/config"), config.replace("[core]\n", "[core]\n" + coreLines));
    return OstreeRepository.open(tmp.resolve(name));
  }

  private static Descriptor importLayer(OstreeRepository repo, byte[] tar) throws Exception {
    byte[] gz = LayerBuilder.gzip(tar);
    Descriptor d = Descriptor.of(MediaType.OCI_LAYER_GZIP, Digest.sha256Of(gz), gz.length);
    new ImageStore(repo, Clock.systemUTC()).importLayer(d, new ByteArrayInputStream(gz), Optional.empty(),
        ImportLimits.DEFAULT);
    return d;
  }

  private static byte[] payload(OstreeRepository repo, ObjectId id) throws Exception {
    try (InputStream in = repo.openPayload(repo.loadContent(id))) {
      return in.readAllBytes();
    }
  }

  private static void ostreeFsck(OstreeRepository repo) throws Exception {
    Exec.Result fsck = Exec.run(List.of(Peers.require("ostree").toString(), "fsck", "--repo=" + repo.path()));
    assertThat(fsck.exitCode()).as(fsck.output()).isZero();
  }

  @Test
  void filesOverTheThresholdAreLinkedByTheirContentAndFsckKeepsTheIndexTrue() throws Exception {
    OstreeRepository repo = repo("repo", "payload-link-threshold=1024\n");
    byte[] big = random(3 << 20, 1);
    byte[] medium = random(8 << 10, 2);
    byte[] tar = LayerBuilder.layer()
        .file("big", big, 0644, 0, 0)
        .file("medium", medium, 0644, 0, 0)
        .file("same-content-other-mode", medium, 0755, 0, 0)
        .file("small", "tiny\n", 0644)
        .tar();
    Descriptor d = importLayer(repo, tar);
    ObjectId root = repo.readCommit(repo.resolveRef(ImageStore.blobRef(d.digest())).orElseThrow()).rootTree();
    PayloadLinks links = repo.payloadLinks();
    for (byte[] content : List.of(big, medium)) {
      Optional<ObjectId> found = links.lookup(Digest.sha256Of(content));
      assertThat(found).isPresent();
      assertThat(payload(repo, found.get())).isEqualTo(content);
    }
    ObjectId bigId = Trees.lookupFile(repo, root, ImagePath.of("big")).orElseThrow();
    Path bigLink = links.path(Digest.sha256Of(big));
    assertThat(Files.readSymbolicLink(bigLink).toString())
        .isEqualTo("../" + bigId.hex().substring(0, 2) + "/" + bigId.hex().substring(2) + ".file");
    // one link for one content, to one of its objects (whichever writer thread linked it first)
    ObjectId mediumId = Trees.lookupFile(repo, root, ImagePath.of("medium")).orElseThrow();
    ObjectId otherModeId = Trees.lookupFile(repo, root, ImagePath.of("same-content-other-mode")).orElseThrow();
    assertThat(otherModeId).isNotEqualTo(mediumId);
    assertThat(links.lookup(Digest.sha256Of(medium)).orElseThrow()).isIn(mediumId, otherModeId);
    assertThat(links.lookup(Digest.sha256Of("tiny\n".getBytes()))).as("under the threshold").isEmpty();
    assertThat(links.all()).hasSize(2);

    assertThat(new RepositoryChecker(repo).check().problems()).isEmpty();
    ostreeFsck(repo);

    // a link that names the wrong object: fsck says so; repair removes it and links the file again
    Files.delete(bigLink);
    Files.createSymbolicLink(bigLink, Files.readSymbolicLink(links.path(Digest.sha256Of(medium))));
    List<RepositoryChecker.Problem> problems = new RepositoryChecker(repo).check().problems();
    assertThat(problems).singleElement().satisfies(p -> assertThat(p.describe())
        .startsWith("Broken payload link for content " + Digest.sha256Of(big).hex() + ": " + bigLink)
        .contains("holds content of SHA-256 " + Digest.sha256Of(medium).hex()));
    RepositoryChecker.Report repaired = new RepositoryChecker(repo).repair();
    assertThat(repaired.removedRefs()).as("no ref is removed for a link").isEmpty();
    assertThat(repaired.linksMade()).isEqualTo(1);
    assertThat(links.lookup(Digest.sha256Of(big))).contains(bigId);
    assertThat(new RepositoryChecker(repo).check().problems()).isEmpty();

    // a prune takes a link with its object, and keeps the others
    repo.deleteRef(ImageStore.blobRef(d.digest()));
    new Pruner(repo).pruneUnreachable();
    assertThat(bigLink).doesNotExist();
    assertThat(links.all()).isEmpty();
    ostreeFsck(repo);
  }

  @Test
  void aRepositoryThatSetsTheThresholdLaterIsLinkedByRepair() throws Exception {
    OstreeRepository plain = repo("plain", "");
    byte[] big = random(64 << 10, 3);
    importLayer(plain, LayerBuilder.layer().file("big", big, 0644, 0, 0).tar());
    assertThat(plain.payloadLinks().lookup(Digest.sha256Of(big))).isEmpty();
    assertThat(new RepositoryChecker(plain).repair().linksMade()).as("no threshold, no links").isZero();

    Path config = plain.path().resolve("config");
    Files.writeString(config, Files.readString(config).replace("[core]\n", "[core]\npayload-link-threshold=0\n"));
    OstreeRepository linked = OstreeRepository.open(plain.path());
    RepositoryChecker.Report r = new RepositoryChecker(linked).repair();
    assertThat(r.problems()).isEmpty();
    assertThat(r.linksMade()).isEqualTo(1);
    assertThat(linked.payloadLinks().lookup(Digest.sha256Of(big))).isPresent();
    Path link = linked.payloadLinks().path(Digest.sha256Of(big));
    assertThat(Files.exists(link, LinkOption.NOFOLLOW_LINKS)).isTrue();
    ostreeFsck(linked);
    // the real ostree prune keeps a link while its object is reachable, and deletes it with its object
    String ostree = Peers.require("ostree").toString();
    Exec.Result kept = Exec.run(List.of(ostree, "prune", "--refs-only", "--repo=" + linked.path()));
    assertThat(kept.exitCode()).as(kept.output()).isZero();
    assertThat(Files.exists(link, LinkOption.NOFOLLOW_LINKS)).isTrue();
    for (String ref : linked.listRefs("").keySet()) {
      linked.deleteRef(ref);
    }
    Exec.Result pruned = Exec.run(List.of(ostree, "prune", "--refs-only", "--repo=" + linked.path()));
    assertThat(pruned.exitCode()).as(pruned.output()).isZero();
    assertThat(Files.exists(link, LinkOption.NOFOLLOW_LINKS)).isFalse();
  }
}
