package io.github.syscontainers.objectstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.syscontainers.fixtures.LayerBuilder;
import io.github.syscontainers.fixtures.TestImage;
import io.github.syscontainers.model.Descriptor;
import io.github.syscontainers.model.Digest;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreTransactionTest {
  @TempDir Path tmp;
  private OstreeRepository repo;
  private ImageStore store;

  @BeforeEach
  void openStore() throws Exception {
    repo = OstreeRepository.openOrCreate(tmp.resolve("repo"), RepoMode.BARE_USER);
    store = new ImageStore(repo, Clock.systemUTC());
  }

  private static final TestImage IMAGE =
      TestImage.builder()
          .layer(LayerBuilder.layer().file("etc/motd", "hello\n", 0644))
          .layer(LayerBuilder.layer().file("usr/bin/tool", "tool\n", 0755))
          .build();

  private static Digest layer(int i) {
    return Digest.parse(IMAGE.layers().get(i).digest());
  }

  /** What another process sees: the refs on disk, read through a store of its own. */
  private ImageStore onDisk() throws Exception {
    return new ImageStore(OstreeRepository.open(repo.path()), Clock.systemUTC());
  }

  @Test
  void stagedRefsAreReadThroughTheStoreAndReachTheDiskOnlyWhenPublished() throws Exception {
    try (StoreTransaction tx = store.begin()) {
      MaintenanceIT.store(store, "img:1", IMAGE);

      StoredImage image = store.findImage("img:1").orElseThrow();
      assertThat(image.layers()).containsExactly(layer(0), layer(1));
      assertThat(store.hasLayer(layer(1))).isTrue();
      assertThat(store.readConfig(image.config().orElseThrow())).hasValue(IMAGE.config().data());
      ObjectId commit = store.layerCommit(layer(0));
      assertThat(repo.hasObject(commit, ObjectType.COMMIT)).isTrue();
      assertThat(repo.listRefs(ImageStore.PREFIX)).isEmpty();
      assertThat(onDisk().findImage("img:1")).isEmpty();

      tx.publish();
      assertThat(repo.listRefs(ImageStore.PREFIX)).hasSize(4).containsEntry(ImageStore.blobRef(layer(0)), commit);
      assertThat(onDisk().findImage("img:1")).hasValue(image);
      Digest manifest = Digest.parse(IMAGE.manifest().digest());
      assertThatThrownBy(() -> store.storeImage("img:2", IMAGE.manifest().data(), manifest))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("publishing");
    }
    assertThat(new RepositoryChecker(repo).check().problems()).isEmpty();
  }

  @Test
  void publishingInTheBackgroundIsWaitedForByClose() throws Exception {
    try (StoreTransaction tx = store.begin()) {
      MaintenanceIT.store(store, "img:1", IMAGE);
      tx.publishInBackground();
      // reads go on while it publishes, and see the same commits
      assertThat(store.findImage("img:1")).isPresent();
      assertThat(store.hasLayer(layer(0))).isTrue();
    }
    assertThat(onDisk().findImage("img:1")).isPresent();
    assertThat(onDisk().hasLayer(layer(0))).isTrue();
    assertThat(onDisk().hasLayer(layer(1))).isTrue();
  }

  @Test
  void closeAfterAFailurePublishesWhatWasStagedSoTheNextPullSkipsIt() throws Exception {
    assertThatThrownBy(() -> {
          try (StoreTransaction tx = store.begin()) {
            TestImage.Blob l = IMAGE.layers().get(0);
            store.importLayer(
                Descriptor.of(l.mediaType(), layer(0), l.data().length),
                new ByteArrayInputStream(l.data()), Optional.empty(), ImportLimits.DEFAULT);
            throw new IllegalStateException("the second layer's download failed");
          }
        })
        .hasMessage("the second layer's download failed");
    assertThat(onDisk().hasLayer(layer(0))).isTrue();
    assertThat(onDisk().hasLayer(layer(1))).isFalse();
  }

  @Test
  void oneTransactionAtATimeAndWritesOutsideOneGoStraightToDisk() throws Exception {
    try (StoreTransaction tx = store.begin()) {
      assertThatThrownBy(store::begin)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("already open");
    }
    try (StoreTransaction tx = store.begin()) {
      tx.publish(); // nothing staged: nothing to write
    }
    assertThat(repo.listRefs(ImageStore.PREFIX)).isEmpty();
    MaintenanceIT.store(store, "img:1", IMAGE);
    assertThat(onDisk().findImage("img:1")).isPresent();
  }
}
