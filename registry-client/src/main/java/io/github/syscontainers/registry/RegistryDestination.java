package io.github.syscontainers.registry;

import io.github.syscontainers.model.Descriptor;
import io.github.syscontainers.model.Digest;
import io.github.syscontainers.model.ImageReference;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.OptionalLong;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okio.BufferedSink;
import org.jetbrains.annotations.NotNull;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pushes to a registry over the distribution v2 API, as the flow in registry-protocol.md §3.11 has it: a blob the
 * repository has ({@code HEAD}) is skipped, one in another repository of the same registry is mounted
 * ({@code POST ?mount=&from=}), others are uploaded: {@code POST} for an upload, then one {@code PUT ?digest=} with
 * the bytes (monolithic) when the digest is known, or {@code PATCH}es (chunked) when it is learnt on the way or the
 * blob is over the chunk size, then {@code PUT ?digest=}. Each {@code Location} is taken as the registry gives it
 * (absolute or relative, new after each {@code PATCH}). Manifests go last, one {@code PUT} per tag. The token scope
 * comes from the registry's challenges ({@code push,pull}, and {@code pull} on a mount's source). Mirrors are never
 * used for a push.
 *
 * <p>Blobs are visible in the registry once uploaded, as with every client; the image is when its manifest is.
 */
public final class RegistryDestination implements ImageDestination {
  private static final Logger LOG = LoggerFactory.getLogger(RegistryDestination.class);
  private static final MediaType OCTETS = MediaType.get("application/octet-stream");

  private final SourceReference.Registry ref;
  private final RegistrySource registry;
  private final OptionalLong chunkSize;

  RegistryDestination(SourceReference.Registry ref, SourceOptions options) throws RegistryException {
    this(ref, options, OptionalLong.empty());
  }

  /** A destination that sends known blobs over {@code chunkSize} bytes in {@code PATCH}es of that size. */
  RegistryDestination(SourceReference.Registry ref, SourceOptions options, OptionalLong chunkSize)
      throws RegistryException {
    this.ref = ref;
    this.registry = new RegistrySource(ref, options);
    this.chunkSize = chunkSize;
  }

  /** Opens the registry destination {@code ref} with blobs over {@code chunkSize} bytes sent in chunks. */
  public static RegistryDestination open(SourceReference.Registry ref, SourceOptions options, long chunkSize)
      throws RegistryException {
    return new RegistryDestination(ref, options, OptionalLong.of(chunkSize));
  }

  /** A failed upload that a new attempt may get through (a 5xx, a dropped connection): the blob can be sent again. */
  public static final class UploadInterrupted extends RegistryException {
    private static final long serialVersionUID = 1L;

    UploadInterrupted(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private ImageReference reference() {
    return ref.reference();
  }

  private String repoUrl() throws RegistryException {
    return registry.baseUrl() + "/v2/" + reference().repository();
  }

  @Override
  public String describe() {
    return reference().registry() + "/" + reference().repository();
  }

  @Override
  public LayerCompression layerCompression() {
    return LayerCompression.COMPRESS;
  }

  @Override
  public boolean hasBlob(Descriptor blob) throws RegistryException {
    Request req = new Request.Builder().url(repoUrl() + "/blobs/" + blob.digest()).head().build();
    try (Response r = registry.retrier().execute(req)) {
      if (r.code() == 404) {
        return false;
      }
      if (!r.isSuccessful()) {
        throw RegistryErrors.of(r, "check for blob " + blob.digest() + " in " + describe());
      }
      return true;
    } catch (RegistryException e) {
      throw e;
    } catch (IOException e) {
      throw new RegistryException("Tried to check for blob " + blob.digest() + " in " + describe() + " but failed: "
          + e.getMessage(), e);
    }
  }

  @Override
  public boolean mountBlob(Descriptor blob, SourceReference from) throws RegistryException {
    if (!(from instanceof SourceReference.Registry)) {
      return false;
    }
    ImageReference src = ((SourceReference.Registry) from).reference();
    if (!src.registry().equals(reference().registry()) || src.repository().equals(reference().repository())) {
      return false;
    }
    HttpUrl url = HttpUrl.get(repoUrl() + "/blobs/uploads/").newBuilder()
        .addQueryParameter("mount", blob.digest().toString()).addQueryParameter("from", src.repository()).build();
    try (Response r = registry.retrier().execute(post(url))) {
      if (r.code() == 201) {
        LOG.debug("mounted {} from {} into {}", blob.digest(), src.repository(), describe());
        return true;
      }
      if (r.code() == 202) {
        cancel(location(r)); // not mounted; the upload it opened is not needed
        return false;
      }
      LOG.debug("mount of {} from {} answered HTTP {}", blob.digest(), src.repository(), r.code());
      return false;
    } catch (IOException e) {
      LOG.debug("mount of {} from {} failed: {}", blob.digest(), src.repository(), e.toString());
      return false;
    }
  }

  @Override
  public void putBlob(Descriptor blob, InputStream in) throws RegistryException {
    String what = "blob " + blob.digest() + " to " + describe();
    try {
      HttpUrl upload = startUpload(what);
      if (chunkSize.isPresent() && blob.size() > chunkSize.getAsLong()) {
        upload = patchChunks(upload, in, chunkSize.getAsLong(), what);
        finish(upload, blob.digest(), RequestBody.create(new byte[0], OCTETS), what);
      } else {
        finish(upload, blob.digest(), new StreamBody(in, blob.size()), what);
      }
    } catch (RegistryException e) {
      throw e;
    } catch (IOException e) {
      throw new UploadInterrupted("Tried to push " + what + " but failed: " + e.getMessage(), e);
    }
  }

  @Override
  public Descriptor putNewBlob(String mediaType, InputStream in) throws RegistryException {
    String what = "a " + mediaType + " blob to " + describe();
    BlobFiles.Measured m = new BlobFiles.Measured(in);
    try {
      HttpUrl upload = startUpload(what);
      // one PATCH streamed with chunked transfer encoding: its length is learnt at its end
      Request patch = new Request.Builder().url(upload).patch(new StreamBody(m, -1)).build();
      try (Response r = registry.client().newCall(patch).execute()) {
        if (r.code() != 202 && r.code() != 204) {
          throw failed(r, what);
        }
        upload = location(r);
      }
      Descriptor d = Descriptor.of(mediaType, m.digest(), m.size());
      finish(upload, d.digest(), RequestBody.create(new byte[0], OCTETS), what);
      return d;
    } catch (RegistryException e) {
      throw e;
    } catch (IOException e) {
      throw new UploadInterrupted("Tried to push " + what + " but failed: " + e.getMessage(), e);
    }
  }

  private HttpUrl startUpload(String what) throws IOException {
    try (Response r = registry.retrier().execute(post(HttpUrl.get(repoUrl() + "/blobs/uploads/")))) {
      if (r.code() != 202) {
        throw failed(r, what);
      }
      return location(r);
    }
  }

  /** PATCHes {@code in} in chunks with their Content-Range; returns the Location for the next request. */
  private HttpUrl patchChunks(HttpUrl upload, InputStream in, long chunk, String what) throws IOException {
    long offset = 0;
    byte[] buf = new byte[(int) Math.min(chunk, 64L << 20)];
    while (true) {
      int n = in.readNBytes(buf, 0, buf.length);
      if (n == 0) {
        return upload;
      }
      Request patch = new Request.Builder().url(upload)
          .header("Content-Range", offset + "-" + (offset + n - 1))
          .patch(RequestBody.create(buf, OCTETS, 0, n)).build();
      try (Response r = registry.client().newCall(patch).execute()) {
        if (r.code() != 202) {
          throw failed(r, what);
        }
        upload = location(r);
      }
      offset += n;
    }
  }

  private void finish(HttpUrl upload, Digest digest, RequestBody body, String what) throws IOException {
    HttpUrl url = upload.newBuilder().addQueryParameter("digest", digest.toString()).build();
    Request put = new Request.Builder().url(url).put(body).build();
    try (Response r = registry.client().newCall(put).execute()) {
      if (r.code() != 201 && r.code() != 204) {
        throw failed(r, what);
      }
    }
  }

  @Override
  public void putManifest(byte[] manifest, String mediaType, Digest digest, List<String> names)
      throws RegistryException {
    List<String> refs = names.isEmpty() ? List.of(digest.toString()) : names;
    for (String tag : refs) {
      String what = "the manifest " + digest + " to " + describe() + ":" + tag;
      Request put = new Request.Builder().url(repoUrl() + "/manifests/" + tag)
          .put(RequestBody.create(manifest, MediaType.get(mediaType))).build();
      try (Response r = registry.retrier().execute(put)) {
        if (r.code() != 201 && r.code() != 200) {
          throw RegistryErrors.of(r, "push " + what);
        }
        String answered = r.header("Docker-Content-Digest");
        if (answered != null && !answered.equals(digest.toString())) {
          LOG.warn("The registry {} recorded the manifest as {}, not {}", reference().registry(), answered, digest);
        }
      } catch (RegistryException e) {
        throw e;
      } catch (IOException e) {
        throw new RegistryException("Tried to push " + what + " but failed: " + e.getMessage(), e);
      }
    }
  }

  @Override
  public void putChildManifest(byte[] manifest, String mediaType, Digest digest) throws RegistryException {
    putManifest(manifest, mediaType, digest, List.of());
  }

  @Override
  public void commit() {}

  @Override
  public void close() {
    registry.close();
  }

  private static Request post(HttpUrl url) {
    return new Request.Builder().url(url).post(RequestBody.create(new byte[0], null)).build();
  }

  private static HttpUrl location(Response r) throws RegistryException {
    String loc = r.header("Location");
    HttpUrl url = loc == null ? null : r.request().url().resolve(loc);
    if (url == null) {
      throw new RegistryException("The registry " + r.request().url().host() + " answered the upload request "
          + r.request().url().encodedPath() + " without a usable Location ('" + loc + "'); it is not a v2 registry");
    }
    return url;
  }

  private void cancel(HttpUrl upload) {
    try (Response r = registry.client().newCall(new Request.Builder().url(upload).delete().build()).execute()) {
      LOG.debug("cancelled upload {}: HTTP {}", upload.encodedPath(), r.code());
    } catch (IOException e) {
      LOG.debug("cancelling upload {} failed: {}", upload.encodedPath(), e.toString());
    }
  }

  private static RegistryException failed(Response r, String what) {
    RegistryException e = RegistryErrors.of(r, "push " + what);
    return r.code() >= 500 || r.code() == 408 || r.code() == 429
        ? new UploadInterrupted(e.getMessage(), null) : e;
  }

  /** A body read once from a stream: of {@code length} bytes, or chunked when -1. */
  private static final class StreamBody extends RequestBody {
    private final InputStream in;
    private final long length;

    StreamBody(InputStream in, long length) {
      this.in = in;
      this.length = length;
    }

    @Override
    public MediaType contentType() {
      return OCTETS;
    }

    @Override
    public long contentLength() {
      return length;
    }

    @Override
    public boolean isOneShot() {
      return true;
    }

    @Override
    public void writeTo(@NotNull BufferedSink sink) throws IOException {
      byte[] buf = new byte[1 << 16];
      int n;
      while ((n = in.read(buf)) >= 0) {
        sink.write(buf, 0, n);
      }
    }
  }
}
