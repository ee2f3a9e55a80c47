package io.github.syscontainers.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.syscontainers.model.Descriptor;
import io.github.syscontainers.model.Digest;
import io.github.syscontainers.model.MediaType;
import io.github.syscontainers.model.TransferEvent;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class ProgressPrinterTest {
  static final Descriptor BLOB = Descriptor.of(MediaType.OCI_LAYER_GZIP, Digest.sha256Of(new byte[] {1}), 4 << 20);
  static final String ID = BLOB.digest().hex().substring(0, 12);

  private static String render(ProgressPrinter.Mode mode) {
    StringWriter w = new StringWriter();
    ProgressPrinter p = new ProgressPrinter(new PrintWriter(w), mode);
    p.on(new TransferEvent.Started(BLOB));
    p.on(new TransferEvent.Progress(BLOB, 1 << 20));
    p.on(new TransferEvent.Resumed(BLOB, 1 << 20, "the body ended early"));
    p.on(new TransferEvent.Progress(BLOB, 4 << 20));
    p.on(new TransferEvent.Verified(BLOB));
    return w.toString();
  }

  @Test
  void aTerminalGetsABarRedrawnInPlaceAndPermanentLinesAboveIt() {
    String out = render(ProgressPrinter.Mode.BARS);
    assertThat(out).contains("\r\033[KCopying blob " + ID + " [>").contains("] 0.0 MiB / 4.0 MiB");
    assertThat(out).contains("\r\033[KResuming blob " + ID + " at 1.0 MiB: the body ended early\n");
    assertThat(out).endsWith("\r\033[KCopying blob " + ID + " done\n");
  }

  @Test
  void otherwiseLinesJsonOrNothing() {
    assertThat(render(ProgressPrinter.Mode.LINES)).isEqualTo(String.join("\n",
        "Copying blob " + ID + " (4.0 MiB)",
        "Resuming blob " + ID + " at 1.0 MiB: the body ended early",
        "Copying blob " + ID + " done", ""));
    assertThat(render(ProgressPrinter.Mode.QUIET)).isEmpty();
    assertThat(render(ProgressPrinter.Mode.JSON).lines())
        .hasSize(5)
        .first().asString().isEqualTo(
            "{\"event\":\"started\",\"digest\":\"" + BLOB.digest() + "\",\"size\":" + (4 << 20) + "}");
    assertThat(render(ProgressPrinter.Mode.JSON)).contains("\"event\":\"resumed\"").contains("\"offset\":" + (1 << 20));
  }
}
