package io.github.syscontainers.lifecycle.host;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs programs with {@link ProcessBuilder}, capturing stdout and stderr. Thread-safe. */
public final class ProcessRunner implements CommandRunner {
  private static final Logger LOG = LoggerFactory.getLogger(ProcessRunner.class);

  @Override
  public Result run(List<String> argv) throws IOException {
    return run(argv, (java.time.Duration) null);
  }

  @Override
  public Result run(List<String> argv, java.time.Duration timeout) throws IOException {
    LOG.debug("running {}{}", argv, timeout == null ? "" : " for at most " + timeout);
    ProcessBuilder pb = new ProcessBuilder(argv);
    pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    Process p = pb.start();
    CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> drain(p.getInputStream()));
    CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> drain(p.getErrorStream()));
    try {
      if (timeout == null || p.waitFor(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
        return new Result(p.waitFor(), out.join(), err.join());
      }
      // what it started may hold the pipes open: they go first
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      p.waitFor();
      return new Result(124, out.join(), err.join() + argv.get(0) + " did not finish within " + timeout.toMillis()
          + " ms and was killed\n");
    } catch (InterruptedException e) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("interrupted while running " + argv.get(0));
    }
  }

  private static String drain(InputStream in) {
    try (in) {
      ByteArrayOutputStream b = new ByteArrayOutputStream();
      in.transferTo(b);
      return b.toString(StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
