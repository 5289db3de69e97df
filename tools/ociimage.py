"""ociimage: an image's root filesystem from a `docker save` tarball or an
OCI image layout in a tarball, without a Docker daemon (for tools/mkeif.py).

    image = load_image("app.tar", data)  # .config, .name, .tags, .nodes, .skipped
    image.add_to(archive, "rootfs")      # into a tools/mkinitramfs.py Archive

The layers are applied in order, in memory: whiteouts (.wh.NAME,
.wh..wh..opq) hide what the layers below hold, paths through symbolic
links are resolved inside the image's root, members naming '..' are
refused, hard links become copies, device nodes and FIFOs are skipped
(listed in .skipped). gzip and uncompressed layers; not zstd.

Standard library only (the design allows Python at build time).
"""

import gzip
import hashlib
import io
import json
import posixpath
import tarfile
import zlib


class ImageError(Exception):
    """A bad image tarball: one line for the user."""


class Image:
    """An image's root filesystem, its layers applied in order, in memory:
    path (relative, no leading '/') -> node. Nothing is written to disk, so
    no member can write outside the tree; members naming '..' are refused,
    and a path through a symbolic link is resolved inside the tree (an
    absolute link is relative to the image's root), as Docker does when it
    unpacks a layer in a chroot."""

    def __init__(self, config, name, tags, config_digest):
        self.config = config
        self.name = name
        self.tags = tags
        self.config_digest = config_digest
        self.nodes = {}  # path -> ("dir"|"file"|"symlink", mode, data or target, uid, gid)
        self.skipped = []
        self.label = name  # the layer being applied, for messages

    def docker_info(self):
        """What of `docker inspect` the tarball holds (the config is an
        input, so this is reproducible)."""
        cfg = self.config
        return {"Id": self.config_digest, "RepoTags": self.tags,
                "Created": cfg.get("created"), "Architecture": cfg.get("architecture"),
                "Os": cfg.get("os"), "Config": cfg.get("config")}

    def remove(self, path):
        if path in self.nodes:
            del self.nodes[path]
        prefix = path + "/"
        for p in [p for p in self.nodes if p.startswith(prefix)]:
            del self.nodes[p]

    def resolve(self, path, member):
        """The path with every symbolic link among its parents resolved
        inside the tree (the last component is left alone)."""
        parts = path.split("/")
        done = []
        todo = parts[:-1]
        hops = 0
        while todo:
            c = todo.pop(0)
            if c in ("", "."):
                continue
            if c == "..":
                if done:
                    done.pop()
                continue
            p = "/".join(done + [c])
            node = self.nodes.get(p)
            if node and node[0] == "symlink":
                hops += 1
                if hops > 40:
                    raise ImageError(f"{self.label}: {member}: too many levels of symbolic links")
                target = node[2]
                if target.startswith("/"):
                    done = []
                todo = target.split("/") + todo
                continue
            done.append(c)
        return "/".join(done + [parts[-1]])

    def ensure_parents(self, path):
        d = posixpath.dirname(path)
        while d:
            node = self.nodes.get(d)
            if node and node[0] == "dir":
                break
            if node:  # a file where a directory is needed: the layer replaces it
                del self.nodes[d]
            self.nodes[d] = ("dir", 0o755, None, 0, 0)
            d = posixpath.dirname(d)

    def apply_layer(self, tar, label):
        self.label = label
        members = tar.getmembers()
        # Whiteouts hide what the lower layers hold, never what this layer adds.
        for m in members:
            path = member_path(m, label)
            base = posixpath.basename(path)
            if not base.startswith(".wh."):
                continue
            parent = self.resolve(path, m.name)
            d = posixpath.dirname(parent)
            if base == ".wh..wh..opq":
                prefix = d + "/" if d else ""
                for p in [p for p in self.nodes if p.startswith(prefix) and p != d]:
                    del self.nodes[p]
            else:
                self.remove(posixpath.join(d, base[len(".wh."):]))
        for m in members:
            path = member_path(m, label)
            if posixpath.basename(path).startswith(".wh.") or not path:
                continue
            self.apply_member(tar, m, self.resolve(path, m.name), label)

    def apply_member(self, tar, m, path, label):
        mode = m.mode & 0o7777
        old = self.nodes.get(path)
        if m.isdir():
            if old and old[0] != "dir":
                del self.nodes[path]
            self.ensure_parents(path)
            self.nodes[path] = ("dir", mode, None, m.uid, m.gid)
            return
        if m.isfile():
            f = tar.extractfile(m)
            node = ("file", mode, f.read() if f else b"", m.uid, m.gid)
        elif m.issym():
            node = ("symlink", 0o777, m.linkname, m.uid, m.gid)
        elif m.islnk():
            target = member_path_text(m.linkname, m.name, label)
            linked = self.nodes.get(self.resolve(target, m.name))
            if not linked or linked[0] != "file":
                raise ImageError(f"{label}: {m.name}: a hard link to {m.linkname}, "
                            "which is not a regular file before it")
            node = linked  # the same content; the ramdisk holds a copy
        else:
            self.skipped.append("/" + path)
            return
        if old and old[0] == "dir":
            self.remove(path)  # the whole subtree (a scan: only for a directory)
        self.ensure_parents(path)
        self.nodes[path] = node

    def add_to(self, arc, dest):
        """Into a tools/mkinitramfs.py Archive, under dest."""
        arc.add_dir(dest)
        for path in sorted(self.nodes):
            kind, mode, data, uid, gid = self.nodes[path]
            full = f"{dest}/{path}"
            if kind == "dir":
                arc.add_dir(full, mode)
            elif kind == "file":
                arc.add_file(full, data, mode)
            else:
                arc.add_symlink(full, data)
            if uid or gid:
                arc.owners[full] = (uid, gid)


def member_path_text(name, member, label):
    parts = [p for p in name.split("/") if p not in ("", ".")]
    if ".." in parts:
        raise ImageError(f"{label}: {member}: a path with '..' (refused: it could reach outside "
                    "the image's root)")
    return "/".join(parts)


def member_path(m, label):
    return member_path_text(m.name, m.name, label)


def open_tar(data, label):
    """A tar archive from bytes, gzip-compressed or not."""
    if data[:2] == b"\x1f\x8b":
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError, zlib.error) as e:
            raise ImageError(f"{label}: a broken gzip stream ({e})") from None
    elif data[:4] == b"\x28\xb5\x2f\xfd":
        raise ImageError(f"{label}: a zstd-compressed layer (not supported: save the image "
                    "with gzip or uncompressed layers)")
    try:
        return tarfile.open(fileobj=io.BytesIO(data), mode="r:")
    except tarfile.TarError as e:
        raise ImageError(f"{label}: not a tar archive ({e})") from None


class Outer:
    """The image tarball's own members, by name."""

    def __init__(self, path, data):
        self.path = path
        tar = open_tar(data, path)
        self.files = {}
        # `docker save` writes a layer that two images' histories share
        # once, and the other as a relative symbolic link to it.
        self.links = {}
        try:
            for m in tar.getmembers():
                key = member_path_text(m.name, m.name, path)
                if m.isfile():
                    self.files[key] = tar.extractfile(m).read()
                elif m.issym():
                    self.links[key] = m.linkname
        except (tarfile.TarError, EOFError) as e:
            raise ImageError(f"{path}: a broken tar archive ({e})") from None

    def get(self, name, what):
        key = member_path_text(name, name, self.path)
        for _ in range(8):  # a link to a link, within bounds
            if key not in self.links:
                break
            target = self.links[key]
            if not target.startswith("/"):
                target = posixpath.join(posixpath.dirname(key), target)
            key = posixpath.normpath(target).lstrip("/")
            if key.startswith("../") or key == "..":
                raise ImageError(f"{self.path}: {what} {name} is a symbolic link out of the tarball")
        if key not in self.files:
            raise ImageError(f"{self.path}: {what} {name} is missing from the tarball")
        return self.files[key]

    def json(self, name, what):
        return json_value(self.get(name, what), self.path, f"{what} {name}")

    def blob(self, digest, what):
        if not isinstance(digest, str) or ":" not in digest:
            raise ImageError(f"{self.path}: {what}: bad digest {digest!r}")
        alg, hexd = digest.split(":", 1)
        return self.get(f"blobs/{alg}/{hexd}", what)


def load_image(path, data):
    """The image in a tarball's bytes; path names it in messages."""
    outer = Outer(path, data)
    try:
        if "manifest.json" in outer.files:
            image, layers = docker_save_image(outer)
        elif "index.json" in outer.files:
            image, layers = oci_image(outer)
        else:
            raise ImageError(f"{path}: neither a `docker save` tarball (manifest.json) nor an OCI "
                        "layout (index.json)")
    except (AttributeError, TypeError, KeyError, IndexError) as e:  # a JSON value of another shape
        raise ImageError(f"{path}: a manifest or index not shaped as Docker or OCI write them "
                    f"({e})") from None
    for label, data in layers:
        tar = open_tar(data, label)
        try:
            image.apply_layer(tar, label)
        except (tarfile.TarError, EOFError) as e:
            raise ImageError(f"{label}: a broken tar archive ({e})") from None
    return image


def docker_save_image(outer):
    manifest = outer.json("manifest.json", "the manifest")
    if not isinstance(manifest, list) or len(manifest) != 1 or not isinstance(manifest[0], dict):
        n = len(manifest) if isinstance(manifest, list) else "no"
        raise ImageError(f"{outer.path}: manifest.json lists {n} images; save exactly one")
    entry = manifest[0]
    cfg_name = entry.get("Config")
    if not isinstance(cfg_name, str):
        raise ImageError(f"{outer.path}: manifest.json names no Config")
    raw = outer.get(cfg_name, "the image config")
    config = json_object(raw, outer.path, f"the image config {cfg_name}")
    tags = entry.get("RepoTags") or []
    layer_names = entry.get("Layers")
    if not isinstance(layer_names, list):
        raise ImageError(f"{outer.path}: manifest.json names no Layers")
    image = Image(config, tags[0] if tags else None, tags,
                  "sha256:" + hashlib.sha256(raw).hexdigest())
    layers = [(f"{outer.path}: layer {n}", outer.get(n, "the layer")) for n in layer_names]
    return image, layers


def json_value(raw, path, what):
    """JSON, or one line: nested too deep for the parser is not JSON either."""
    try:
        return json.loads(raw)
    except (ValueError, RecursionError):
        raise ImageError(f"{path}: {what} is not JSON (or nested too deep)") from None


def json_object(raw, path, what):
    v = json_value(raw, path, what)
    if not isinstance(v, dict):
        raise ImageError(f"{path}: {what} is not a JSON object")
    return v


def oci_image(outer):
    index = outer.json("index.json", "the index")
    manifest = oci_pick(outer, index, 0)
    cfg = manifest.get("config") or {}
    raw = outer.blob(cfg.get("digest"), "the image config")
    config = json_object(raw, outer.path, "the image config")
    tags = []
    for m in index.get("manifests") or []:
        ref = (m.get("annotations") or {}).get("org.opencontainers.image.ref.name")
        if ref:
            tags.append(ref)
    image = Image(config, tags[0] if tags else None, tags, cfg.get("digest"))
    layers = []
    for layer in manifest.get("layers") or []:
        digest = layer.get("digest")
        layers.append((f"{outer.path}: layer {digest}", outer.blob(digest, "a layer")))
    return image, layers


def oci_pick(outer, index, depth):
    """The image manifest an index points at: the only one, or the
    linux/amd64 one among several."""
    if depth > 4:
        raise ImageError(f"{outer.path}: indexes nested too deep")
    ms = index.get("manifests") if isinstance(index, dict) else None
    if not ms:
        raise ImageError(f"{outer.path}: the OCI index lists no manifest")
    if len(ms) > 1:
        amd = [m for m in ms if (m.get("platform") or {}).get("architecture") == "amd64"
               and (m.get("platform") or {}).get("os") == "linux"]
        if len(amd) != 1:
            raise ImageError(f"{outer.path}: the OCI index lists {len(ms)} manifests and not exactly "
                        "one for linux/amd64; save one image")
        ms = amd
    m = ms[0]
    body = json_object(outer.blob(m.get("digest"), "a manifest"), outer.path,
                       f"the manifest {m.get('digest')}")
    if "manifests" in body:
        return oci_pick(outer, body, depth + 1)
    return body
