#!/usr/bin/env python3
"""Writes v2 of an OCI image layout's image for bench/partial.sh: its largest layer with one file of about 1 MiB
changed (new random content, the same size) and 10 small files added; every other file byte for byte the same.
    bench/make-update.py LAYOUT TAG NEWTAG
The new layer (gzip), its config (new DiffID) and manifest are added to LAYOUT under NEWTAG."""
import gzip, hashlib, io, json, os, random, sys, tarfile

layout, tag, newtag = sys.argv[1:4]

def blob(digest):
    return os.path.join(layout, "blobs", "sha256", digest.split(":", 1)[1])

def put(data):
    d = "sha256:" + hashlib.sha256(data).hexdigest()
    with open(blob(d), "wb") as f:
        f.write(data)
    return d

index = json.load(open(os.path.join(layout, "index.json")))
entry = next(m for m in index["manifests"] if m.get("annotations", {}).get("org.opencontainers.image.ref.name") == tag)
manifest = json.load(open(blob(entry["digest"])))
config = json.load(open(blob(manifest["config"]["digest"])))
i = max(range(len(manifest["layers"])), key=lambda k: manifest["layers"][k]["size"])
with gzip.open(blob(manifest["layers"][i]["digest"]), "rb") as f:
    old = tarfile.open(fileobj=io.BytesIO(f.read()))
members = old.getmembers()
# the regular file closest to 1 MiB
target = min((m for m in members if m.isreg()), key=lambda m: abs(m.size - (1 << 20)))
rng = random.Random(42)
out = io.BytesIO()
with tarfile.open(fileobj=out, mode="w", format=tarfile.PAX_FORMAT) as new:
    for m in members:
        if m.name == target.name:
            new.addfile(m, io.BytesIO(bytes(rng.getrandbits(8) for _ in range(m.size))))
        elif m.isreg():
            new.addfile(m, old.extractfile(m))
        else:
            new.addfile(m)
    for k in range(10):
        data = ("bench update file %d\n" % k).encode() * 20
        t = tarfile.TarInfo("usr/share/bench-update/file%d" % k)
        t.size, t.mode, t.mtime = len(data), 0o644, 1700000000
        new.addfile(t, io.BytesIO(data))
tar = out.getvalue()
gz = gzip.compress(tar, compresslevel=6, mtime=0)
layer = dict(manifest["layers"][i], digest=put(gz), size=len(gz))
config["rootfs"]["diff_ids"][i] = "sha256:" + hashlib.sha256(tar).hexdigest()
cbytes = json.dumps(config, separators=(",", ":")).encode()
manifest["config"] = dict(manifest["config"], digest=put(cbytes), size=len(cbytes))
manifest["layers"][i] = layer
mbytes = json.dumps(manifest, separators=(",", ":")).encode()
index["manifests"] = [m for m in index["manifests"]
                      if m.get("annotations", {}).get("org.opencontainers.image.ref.name") != newtag]
index["manifests"].append({"mediaType": entry.get("mediaType", "application/vnd.oci.image.manifest.v1+json"),
                           "digest": put(mbytes), "size": len(mbytes),
                           "annotations": {"org.opencontainers.image.ref.name": newtag}})
json.dump(index, open(os.path.join(layout, "index.json"), "w"))
print("changed %s (%d bytes), added 10 files" % (target.name, target.size))
