#!/usr/bin/env python3
"""Makes the bench image a system image for bench/autoupdate.sh: TAG's layers plus one small layer holding /exports
(config.json.template, service.template, tmpfiles.template, manifest.json with a health check run in the container)
and /srv/beat.sh, a service that writes a heartbeat (a counter) to /state/beat (the host's /var/lib/NAME) every
50 ms; KIND good, or exits (the service exits 1 at once). VERSION goes into the layer, so each call is a new digest.
    bench/make-service.py LAYOUT TAG NEWTAG VERSION good|exits"""
import gzip, hashlib, io, json, os, sys, tarfile

layout, tag, newtag, version, kind = sys.argv[1:6]

def path(digest):
    return os.path.join(layout, "blobs", "sha256", digest.split(":", 1)[1])

def put(data):
    d = "sha256:" + hashlib.sha256(data).hexdigest()
    with open(path(d), "wb") as f:
        f.write(data)
    return d

index = json.load(open(os.path.join(layout, "index.json")))
entry = next(m for m in index["manifests"] if m.get("annotations", {}).get("org.opencontainers.image.ref.name") == tag)
manifest = json.load(open(path(entry["digest"])))
config = json.load(open(path(manifest["config"]["digest"])))

ro = ["rbind", "ro", "nosuid", "nodev"]
oci = {
    "ociVersion": "1.0.2-dev",
    "process": {"terminal": False, "user": {"uid": 0, "gid": 0}, "args": ["/srv/beat.sh"],
                "env": ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "NAME=$NAME"],
                "cwd": "/", "noNewPrivileges": True},
    "root": {"path": "rootfs", "readonly": True},
    "hostname": "$NAME",
    "mounts": [
        {"destination": "/proc", "type": "proc", "source": "proc"},
        {"destination": "/dev", "type": "tmpfs", "source": "tmpfs", "options": ["nosuid", "strictatime", "mode=755"]},
        {"destination": "/tmp", "type": "tmpfs", "source": "tmpfs", "options": ["nosuid", "nodev", "mode=1777"]},
        {"destination": "/run", "type": "tmpfs", "source": "tmpfs", "options": ["nosuid", "nodev", "mode=755"]},
        {"destination": "/state", "type": "bind", "source": "${STATE_DIRECTORY}/${NAME}", "options": ["rbind", "rw"]},
    ],
    "linux": {"namespaces": [{"type": t} for t in ("pid", "ipc", "uts", "mount")]},
}
service = """[Unit]
Description=syscontainers auto-update bench service $NAME

[Service]
ExecStartPre=$EXEC_STARTPRE
ExecStart=$EXEC_START
ExecStop=$EXEC_STOP
ExecStopPost=$EXEC_STOPPOST
Restart=on-failure
WorkingDirectory=$DESTDIR

[Install]
WantedBy=multi-user.target
"""
files = {
    "exports/config.json.template": (json.dumps(oci, indent=1) + "\n", 0o644),
    "exports/service.template": (service, 0o644),
    "exports/tmpfiles.template": ("d ${STATE_DIRECTORY}/${NAME} 0755 ${HOST_UID} ${HOST_GID} -\n", 0o644),
    "exports/manifest.json": (json.dumps({"version": "1.0", "defaultValues": {},
        "healthCheck": {"command": ["/bin/sh", "-c", "test -s /state/beat"], "on": "container", "timeout": 5,
                        "retries": 2, "interval": 0.2, "startPeriod": 5}}) + "\n", 0o644),
    "srv/version": (version + "\n", 0o644),
    "srv/beat.sh": ("#!/bin/sh\n" + ("exit 1\n" if kind == "exits" else "")
                    + "trap 'exit 0' TERM INT\nn=0\nwhile :; do\n  n=$((n + 1))\n"
                    + "  echo \"$n\" > /state/beat.tmp && mv /state/beat.tmp /state/beat\n  sleep 0.05\ndone\n", 0o755),
}
raw = io.BytesIO()
with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as t:
    for d in ("exports", "srv", "state"):
        i = tarfile.TarInfo(d); i.type = tarfile.DIRTYPE; i.mode = 0o755
        t.addfile(i)
    for name, (text, mode) in files.items():
        data = text.encode()
        i = tarfile.TarInfo(name); i.size = len(data); i.mode = mode
        t.addfile(i, io.BytesIO(data))
gz = io.BytesIO()
with gzip.GzipFile(fileobj=gz, mode="wb", mtime=0) as g:
    g.write(raw.getvalue())
layer = put(gz.getvalue())
config["rootfs"]["diff_ids"] = config["rootfs"]["diff_ids"] + ["sha256:" + hashlib.sha256(raw.getvalue()).hexdigest()]
config.setdefault("config", {}).setdefault("Labels", {})["atomic.type"] = "system"
cbytes = json.dumps(config).encode()
manifest["config"] = dict(manifest["config"], digest=put(cbytes), size=len(cbytes))
manifest["layers"] = manifest["layers"] + [{"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip",
                                            "digest": layer, "size": len(gz.getvalue())}]
mbytes = json.dumps(manifest).encode()
index["manifests"] = [m for m in index["manifests"]
                      if m.get("annotations", {}).get("org.opencontainers.image.ref.name") != newtag]
index["manifests"].append({"mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": put(mbytes),
                           "size": len(mbytes), "annotations": {"org.opencontainers.image.ref.name": newtag}})
json.dump(index, open(os.path.join(layout, "index.json"), "w"))
