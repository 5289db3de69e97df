#!/usr/bin/env python3
"""Tests of tools/mkeif.py (and tools/ociimage.py): prints "PASS tools: ..." /
"FAIL tools: ..." lines (tests/run counts them). The EIF is read back by a reader written
here from the format's definition (aws-nitro-enclaves-image-format), its
PCRs computed here with hashlib, its ramdisks read by test_mkinitramfs's
newc reader: none of the tool's own code checks the tool."""
import base64
import gzip
import hashlib
import io
import json
import os
import shutil
import socket
import stat
import struct
import subprocess
import sys
import tarfile
import tempfile
import zlib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from test_mkinitramfs import check, parse  # noqa: E402

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TOOL = os.path.join(TOP, "tools", "mkeif.py")
HDR = 548  # 4 magic, 2+2+8+8+2+2, 32*8 offsets, 32*8 sizes, 4 unused, 4 crc

# `make test` exports SOURCE_DATE_EPOCH=0 (the Makefile's, for the build);
# the tests say for themselves when the tool is to see one.
os.environ.pop("SOURCE_DATE_EPOCH", None)


def run(*args, env=None):
    return subprocess.run([sys.executable, TOOL, *args], capture_output=True, text=True, env=env)


def eif(data):
    """(header dict, [(type, data)]) by the format's definition."""
    assert data[:4] == b".eif", data[:4]
    version, flags, mem, cpus, _res, n = struct.unpack_from(">HHQQHH", data, 4)
    offs = struct.unpack_from(">32Q", data, 28)
    sizes = struct.unpack_from(">32Q", data, 28 + 256)
    crc = struct.unpack_from(">I", data, HDR - 4)[0]
    secs = []
    for i in range(n):
        t, f, size = struct.unpack_from(">HHQ", data, offs[i])
        assert f == 0 and size == sizes[i], (i, f, size, sizes[i])
        secs.append((t, data[offs[i] + 12:offs[i] + 12 + size]))
    return {"version": version, "flags": flags, "mem": mem, "cpus": cpus, "n": n,
            "offs": offs[:n], "sizes": sizes[:n], "crc": crc}, secs


def pcr(data):
    return hashlib.sha384(b"\0" * 48 + hashlib.sha384(data).digest()).hexdigest()


def expected_pcrs(secs):
    k = [d for t, d in secs if t == 1][0]
    c = [d for t, d in secs if t == 2][0]
    rds = [d for t, d in secs if t == 3]
    return {"PCR0": pcr(k + c + b"".join(rds)), "PCR1": pcr(k + c + rds[0]),
            "PCR2": pcr(b"".join(rds[1:]))}


def printed_pcrs(stdout):
    return dict(line.split(": ", 1) for line in stdout.splitlines() if line.startswith("PCR"))


def ramdisk(secs, i):
    return {n: (f, body) for n, f, body in parse([d for t, d in secs if t == 3][i])}


def fake_kernel():
    """Enough of a bzImage for the metadata: the setup header's "HdrS" and
    its kernel_version pointer (0x20E, relative to 0x200)."""
    k = bytearray(4096)
    k[0x202:0x206] = b"HdrS"
    struct.pack_into("<H", k, 0x20E, 0x100)
    k[0x300:0x300 + 30] = b"6.1.99-test (me@here) #1 SMP\0\0"
    return bytes(k)


def write(path, data, mode=0o644):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)
    os.chmod(path, mode)


def inputs(d, tag=0):
    """A kernel, an init, an nsm.ko, a module for --boot-file, an app tree
    and an env file; file times differ by tag."""
    write(f"{d}/bzImage", fake_kernel())
    write(f"{d}/init", b"\x7fELF-init", 0o700)
    write(f"{d}/nsm.ko", b"nsm module")
    write(f"{d}/extra.ko", b"extra module")
    write(f"{d}/root/usr/bin/app", b"#!/bin/sh\necho hi\n", 0o755)
    write(f"{d}/root/etc/app.conf", b"k=v\n", 0o640)
    write(f"{d}/env", b"A=1\n")
    for root, _, files in os.walk(d):
        for f in files:
            os.utime(os.path.join(root, f), (1000 + tag, 1000 + tag))
    return d


def build_args(d, out, *extra):
    return ["-o", out, "--kernel", f"{d}/bzImage", "--cmdline", "console=ttyS0 reboot=k",
            "--init", f"{d}/init", "--nsm", f"{d}/nsm.ko",
            "--boot-file", f"{d}/extra.ko:lib/modules/extra.ko:0600",
            *extra]


def app_args(d):
    return ["--rootfs", f"{d}/root", "--env-file", f"{d}/env", "--", "/usr/bin/app", "two words"]


# ---------------------------------------------------------------- image tarballs


def tar_bytes(members, gz=False):
    """A tar archive from [(TarInfo fields dict, data or None)]."""
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.PAX_FORMAT) as t:
        for fields, data in members:
            ti = tarfile.TarInfo(fields.pop("name"))
            ti.mode = 0o644
            for k, v in fields.items():
                setattr(ti, k, v)
            if data is not None:
                ti.size = len(data)
            t.addfile(ti, io.BytesIO(data) if data is not None else None)
    raw = buf.getvalue()
    return gzip.compress(raw, mtime=0) if gz else raw


def D(name, mode=0o755, **kw):
    return ({"name": name, "type": tarfile.DIRTYPE, "mode": mode, **kw}, None)


def F(name, data, mode=0o644, **kw):
    return ({"name": name, "mode": mode, **kw}, data)


def L(name, target):
    return ({"name": name, "type": tarfile.SYMTYPE, "linkname": target}, None)


def H(name, target):
    return ({"name": name, "type": tarfile.LNKTYPE, "linkname": target}, None)


def layers():
    one = tar_bytes([
        D("etc"), F("etc/passwd", b"root:x:0:0::/:/bin/sh\n"), F("etc/old", b"gone\n"),
        D("dir"), F("dir/a", b"a"), F("dir/b", b"b"), D("usr"), D("usr/bin"),
        F("usr/bin/app", b"#!/bin/sh\nexec true\n", 0o755), L("bin", "usr/bin"),
        L("abs", "/etc"), L("esc", "../../../../tmp"), H("usr/bin/app2", "usr/bin/app"),
        D("tmp", 0o1777), D("dev"),
        ({"name": "dev/null", "type": tarfile.CHRTYPE, "devmajor": 1, "devminor": 3}, None),
        D("srv", uid=1000, gid=1000), F("srv/data", b"owned", uid=1000, gid=1000),
        D("gone-dir"), F("gone-dir/x", b"x")])
    two = tar_bytes([
        F("etc/.wh.old", b""), F(".wh.gone-dir", b""), D("dir"), F("dir/.wh..wh..opq", b""),
        F("dir/c", b"c"), F("etc/new", b"new\n"), F("bin/tool", b"via the link", 0o755),
        F("abs/through-absolute", b"abs"), F("esc/pwned", b"stays inside")], gz=True)
    return [one, two]


IMAGE_CONFIG = {"architecture": "amd64", "os": "linux", "created": "2024-01-01T00:00:00Z",
                "config": {"Entrypoint": ["/usr/bin/app"], "Cmd": ["--x", "y z"],
                           "Env": ["PATH=/usr/bin:/bin", "A=1"], "User": "app",
                           "WorkingDir": "/srv"}}


def docker_save(path, config=IMAGE_CONFIG, layer_list=None, manifest=None):
    layer_list = layers() if layer_list is None else layer_list
    cfg = json.dumps(config).encode()
    cfg_name = hashlib.sha256(cfg).hexdigest() + ".json"
    members = [F(cfg_name, cfg)]
    names = []
    for i, layer in enumerate(layer_list):
        members += [D(f"l{i}"), F(f"l{i}/layer.tar", layer)]
        names.append(f"l{i}/layer.tar")
    if manifest is None:
        manifest = [{"Config": cfg_name, "RepoTags": ["myapp:1"], "Layers": names}]
    members.append(F("manifest.json", json.dumps(manifest).encode()))
    write(path, tar_bytes(members))


def oci_layout(path, config=IMAGE_CONFIG):
    blobs = {}

    def blob(data):
        h = hashlib.sha256(data).hexdigest()
        blobs[h] = data
        return {"digest": "sha256:" + h, "size": len(data)}

    cfg = blob(json.dumps(config).encode())
    cfg["mediaType"] = "application/vnd.oci.image.config.v1+json"
    man = {"schemaVersion": 2, "config": cfg, "layers": [blob(x) for x in layers()]}
    mref = blob(json.dumps(man).encode())
    mref["platform"] = {"architecture": "amd64", "os": "linux"}
    mref["annotations"] = {"org.opencontainers.image.ref.name": "myapp:oci"}
    index = {"schemaVersion": 2, "manifests": [mref]}
    members = [F("oci-layout", b'{"imageLayoutVersion":"1.0.0"}'),
               F("index.json", json.dumps(index).encode()), D("blobs"), D("blobs/sha256")]
    members += [F(f"blobs/sha256/{h}", d) for h, d in sorted(blobs.items())]
    write(path, tar_bytes(members))


# ---------------------------------------------------------------- a signed EIF


def cbor_head(major, n):
    if n < 24:
        return bytes([major << 5 | n])
    for info, size in ((24, 1), (25, 2), (26, 4), (27, 8)):
        if n < 1 << (8 * size):
            return bytes([major << 5 | info]) + n.to_bytes(size, "big")
    raise ValueError(n)


def cbor_bytes_as_array(b):
    """serde_cbor's Vec<u8>: an array of unsigned integers."""
    return cbor_head(4, len(b)) + b"".join(cbor_head(0, x) for x in b)


def cbor_text(s):
    return cbor_head(3, len(s)) + s.encode()


def signed_eif(kernel, cmdline, ramdisks, der):
    """An EIF as nitro-cli writes a signed one (kernel, cmdline, metadata,
    ramdisks, signature), written here from the format's definition."""
    pem = (b"-----BEGIN CERTIFICATE-----\n" + base64.encodebytes(der)
           + b"-----END CERTIFICATE-----\n")
    sig = (cbor_head(4, 1) + cbor_head(5, 2) + cbor_text("signing_certificate")
           + cbor_bytes_as_array(pem) + cbor_text("signature") + cbor_bytes_as_array(b"\x84sig"))
    meta = b'{"ImageName":"signed","ImageVersion":"1","BuildMetadata":{},"DockerInfo":{}}'
    secs = [(1, kernel), (2, cmdline), (5, meta)] + [(3, r) for r in ramdisks] + [(4, sig)]
    offs, body, off = [], b"", HDR
    for t, d in secs:
        offs.append(off)
        body += struct.pack(">HHQ", t, 0, len(d)) + d
        off += 12 + len(d)
    z = [0] * (32 - len(secs))
    head = struct.pack(">4sHHQQHH32Q32QI", b".eif", 4, 0, 1 << 30, 2, 0, len(secs),
                       *offs, *z, *[len(d) for _, d in secs], *z, 0)
    return head + struct.pack(">I", zlib.crc32(head + body)) + body


# ---------------------------------------------------------------- the checks


def main():
    tmp = tempfile.mkdtemp(prefix="ei-mkeif.")
    try:
        checks(tmp)
    finally:
        shutil.rmtree(tmp)


def checks(tmp):
    d = inputs(f"{tmp}/in")
    out = f"{tmp}/a.eif"
    p = run(*build_args(d, out, *app_args(d)))
    if p.returncode != 0:
        print(f"FAIL tools: mkeif: builds an EIF: {p.stderr.strip()}")
        return
    data = open(out, "rb").read()
    hdr, secs = eif(data)

    def layout():
        assert (hdr["version"], hdr["flags"], hdr["mem"], hdr["cpus"]) == (4, 0, 1 << 30, 2), hdr
        assert [t for t, _ in secs] == [1, 2, 5, 3, 3], [t for t, _ in secs]
        off = HDR
        for o, s in zip(hdr["offs"], hdr["sizes"]):
            assert o == off, "sections not back to back"
            off += 12 + s
        assert off == len(data), "bytes after the last section"
        assert secs[0][1] == fake_kernel() and secs[1][1] == b"console=ttyS0 reboot=k"
        assert hdr["crc"] == zlib.crc32(data[:HDR - 4] + data[HDR:]), "CRC32"
    check("mkeif: a version-4 EIF, nitro-cli's section order, back to back, CRC32 of all but itself",
          layout)

    def ramdisks():
        first, second = ramdisk(secs, 0), ramdisk(secs, 1)
        assert sorted(first) == ["dev", "dev/console", "init", "lib", "lib/modules",
                                 "lib/modules/extra.ko", "nsm.ko"], sorted(first)
        assert first["init"][1] == b"\x7fELF-init" and stat.S_IMODE(first["init"][0]["mode"]) == 0o755
        assert stat.S_IMODE(first["lib/modules/extra.ko"][0]["mode"]) == 0o600
        assert stat.S_ISCHR(first["dev/console"][0]["mode"])
        for want in ("rootfs/usr/bin/app", "rootfs/etc/app.conf", "rootfs/proc", "rootfs/dev",
                     "rootfs/sys", "rootfs/tmp", "rootfs/run", "rootfs/var", "cmd", "env"):
            assert want in second, f"{want} missing from the second ramdisk"
        assert second["cmd"][1] == b"/usr/bin/app\ntwo words\n" and second["env"][1] == b"A=1\n"
        assert "init" not in second and "rootfs" not in first
        for rd in (first, second):
            assert all((f["uid"], f["gid"], f["mtime"]) == (0, 0, 0) for f, _ in rd.values())
    check("mkeif: first ramdisk /init, /nsm.ko, --boot-file, /dev/console; second /rootfs, /cmd, /env",
          ramdisks)

    def pcrs():
        want = expected_pcrs(secs)
        assert printed_pcrs(p.stdout) == want, (p.stdout, want)
    check("mkeif: the printed PCR0/1/2 are SHA384(zeros || SHA384(data)) computed here", pcrs)

    def describe():
        q = run("--describe", out)
        assert q.returncode == 0, q.stderr
        assert "CRC32: %08x (correct)" % hdr["crc"] in q.stdout, q.stdout
        assert printed_pcrs(q.stdout) == expected_pcrs(secs)
        assert "signed: no" in q.stdout and "Ramdisk" in q.stdout and '"KernelVersion": "6.1.99"' in q.stdout
        j = json.loads(run("--describe", out, "--json").stdout)
        assert j["EifVersion"] == 4 and j["CheckCRC"] is True and j["IsSigned"] is False, j
        assert {k: v for k, v in j["Measurements"].items() if k != "HashAlgorithm"} == expected_pcrs(secs)
        assert j["Measurements"]["HashAlgorithm"] == "Sha384 { ... }"
        assert [s["Type"] for s in j["Sections"]] == ["Kernel", "Cmdline", "Metadata", "Ramdisk", "Ramdisk"]
        assert [s["Size"] for s in j["Sections"]] == list(hdr["sizes"])
        md = j["Metadata"]
        assert (md["BuildTime"], md["OperatingSystem"], md["KernelVersion"]) == ("", "Linux", "6.1.99"), md
        assert j["ImageName"] == "enclave" and md["DockerInfo"] is None
    check("mkeif: --describe (text and --json): sections, sizes, CRC check, PCRs, metadata", describe)

    def json_build():
        q = run(*build_args(d, f"{tmp}/j.eif", "--json", *app_args(d)))
        assert q.returncode == 0, q.stderr
        j = json.loads(q.stdout)
        assert list(j) == ["Measurements"] and list(j["Measurements"]) == \
            ["HashAlgorithm", "PCR0", "PCR1", "PCR2"], j
        assert {k: j["Measurements"][k] for k in ("PCR0", "PCR1", "PCR2")} == expected_pcrs(secs)
    check("mkeif: --json prints nitro-cli's {\"Measurements\": {HashAlgorithm, PCR0, PCR1, PCR2}}",
          json_build)

    def reproducible():
        d2 = inputs(f"{tmp}/elsewhere/input-copy", tag=777)
        q = run(*build_args(d2, f"{tmp}/b.eif", *app_args(d2)))
        assert q.returncode == 0, q.stderr
        assert open(f"{tmp}/b.eif", "rb").read() == data, "other bytes from the same inputs"
        host = socket.gethostname()
        assert len(host) < 6 or host.encode() not in data, "the host name is in the image"
        q = run(*build_args(d, f"{tmp}/t.eif", "--build-time", "2024-05-01T12:00:00+00:00",
                            *app_args(d)))
        t = open(f"{tmp}/t.eif", "rb").read()
        assert t != data and b'"BuildTime":"2024-05-01T12:00:00+00:00"' in t
        assert printed_pcrs(q.stdout) == expected_pcrs(secs), "the metadata is measured"
        q = run(*build_args(d, f"{tmp}/s.eif", *app_args(d)), env=dict(os.environ, SOURCE_DATE_EPOCH="86400"))
        assert b'"BuildTime":"1970-01-02T00:00:00+00:00"' in open(f"{tmp}/s.eif", "rb").read()
    check("mkeif: two builds of the same inputs (other paths, other times) give the same bytes; "
          "no host name; BuildTime only from --build-time or SOURCE_DATE_EPOCH", reproducible)

    def one_byte(tag, rel, text, mode, moved):
        """Change one byte of one input: exactly the PCRs named move."""
        d2 = inputs(f"{tmp}/{tag}")
        write(f"{d2}/{rel}", text, mode)
        q = printed_pcrs(run(*build_args(d2, f"{tmp}/{tag}.eif", *app_args(d2))).stdout)
        base = printed_pcrs(p.stdout)
        got = sorted(k for k in ("PCR0", "PCR1", "PCR2") if q.get(k) != base[k])
        assert got == moved, f"{got} moved, not {moved}"
    check("mkeif: one byte of init changes PCR0 and PCR1, not PCR2",
          lambda: one_byte("init-changed", "init", b"\x7fELF-inix", 0o700, ["PCR0", "PCR1"]))
    check("mkeif: one byte of the app changes PCR0 and PCR2, not PCR1",
          lambda: one_byte("app-changed", "root/usr/bin/app", b"#!/bin/sh\necho ho\n", 0o755,
                           ["PCR0", "PCR2"]))

    docker_checks(tmp, d)
    layer_link_checks(tmp, d)
    describe_checks(tmp, d, data, secs)
    error_checks(tmp, d)


def image_build(d, image, out, *extra):
    q = run(*build_args(d, out, "--docker-image", image, *extra))
    assert q.returncode == 0, q.stderr
    _, s = eif(open(out, "rb").read())
    return q, s


def docker_checks(tmp, d):
    img = f"{tmp}/docker-save.tar"
    docker_save(img)
    state = {}

    def docker():
        q, s = image_build(d, img, f"{tmp}/img.eif")
        state["secs"] = s
        rd = ramdisk(s, 1)
        r = {k[len("rootfs/"):]: v for k, v in rd.items() if k.startswith("rootfs/")}
        for gone in ("etc/old", "dir/a", "dir/b", "gone-dir", "gone-dir/x", "dev/null"):
            assert gone not in r, f"/{gone} should be gone"
        assert r["dir/c"][1] == b"c" and r["etc/new"][1] == b"new\n" and "etc/passwd" in r
        assert r["usr/bin/app2"][1] == r["usr/bin/app"][1] and \
            stat.S_IMODE(r["usr/bin/app2"][0]["mode"]) == 0o755, "hard link"
        assert r["usr/bin/tool"][1] == b"via the link", "a write through a relative symlink"
        assert r["etc/through-absolute"][1] == b"abs", "a write through an absolute symlink"
        assert r["tmp/pwned"][1] == b"stays inside", "a symlink escaping upwards stays in the root"
        assert stat.S_ISLNK(r["bin"][0]["mode"]) and r["bin"][1] == b"usr/bin"
        assert stat.S_IMODE(r["tmp"][0]["mode"]) == 0o1777 and stat.S_ISDIR(r["dev"][0]["mode"])
        assert (r["srv/data"][0]["uid"], r["srv/data"][0]["gid"]) == (1000, 1000)
        assert rd["cmd"][1] == b"/usr/bin/app\n--x\ny z\n", rd["cmd"][1]
        assert rd["env"][1] == b"PATH=/usr/bin:/bin\nA=1\n", rd["env"][1]
        assert 'User "app"' in q.stderr and 'WorkingDir "/srv"' in q.stderr and \
            "runs as root" in q.stderr and "app.user: app" in q.stderr and \
            "app.working_directory: /srv" in q.stderr, q.stderr
        assert "device" in q.stderr and "/dev/null" in q.stderr, q.stderr
        assert printed_pcrs(q.stdout) == expected_pcrs(s)
        meta = json.loads([x for t, x in s if t == 5][0])
        assert meta["ImageName"] == "myapp:1" and meta["DockerInfo"]["RepoTags"] == ["myapp:1"]
        assert meta["DockerInfo"]["Config"]["User"] == "app"
    check("mkeif: docker save tarball: layers in order, whiteouts, opaque dir, hard link, symlinks "
          "resolved inside the root, devices skipped, Entrypoint+Cmd -> /cmd, Env -> /env, "
          "User/WorkingDir noted", docker)

    def overrides():
        write(f"{tmp}/cmdfile", b"/bin/other\n")
        write(f"{tmp}/envfile", b"B=2\n")
        _, s = image_build(d, img, f"{tmp}/img2.eif", "--cmd-file", f"{tmp}/cmdfile",
                           "--env-file", f"{tmp}/envfile")
        rd = ramdisk(s, 1)
        assert rd["cmd"][1] == b"/bin/other\n" and rd["env"][1] == b"B=2\n"
        _, s = image_build(d, img, f"{tmp}/img3.eif", "--", "/x", "y")
        assert ramdisk(s, 1)["cmd"][1] == b"/x\ny\n"
    check("mkeif: --cmd-file, -- COMMAND and --env-file override the image's", overrides)

    def oci():
        o = f"{tmp}/oci.tar"
        oci_layout(o)
        q, s = image_build(d, o, f"{tmp}/oci.eif")
        docker_app = [x for t, x in state["secs"] if t == 3][1]
        assert [x for t, x in s if t == 3][1] == docker_app, "OCI and docker save differ"
        assert printed_pcrs(q.stdout)["PCR2"] == pcr(docker_app)
        meta = json.loads([x for t, x in s if t == 5][0])
        assert meta["ImageName"] == "myapp:oci", meta
    check("mkeif: OCI layout tarball gives the same application ramdisk (PCR2) as docker save", oci)

    def traversal():
        for name, members in (("dotdot", [F("../evil", b"x")]),
                              ("deep", [D("a"), F("a/../../evil", b"x")]),
                              ("hardlink", [H("h", "../../etc/shadow")])):
            bad = f"{tmp}/{name}.tar"
            docker_save(bad, layer_list=[tar_bytes(members)])
            q = run(*build_args(d, f"{tmp}/{name}.eif", "--docker-image", bad))
            assert q.returncode == 1 and "'..'" in q.stderr and "Traceback" not in q.stderr, \
                (name, q.stderr)
            assert not os.path.exists(f"{tmp}/{name}.eif")
        assert not os.path.exists(os.path.join(os.path.dirname(tmp), "evil"))
    check("mkeif: a layer member or hard link with '..' is refused (status 1, nothing written)",
          traversal)


def with_metadata(data, meta):
    """The EIF data with its metadata section's bytes replaced, re-laid out."""
    _, secs = eif(data)
    secs = [(t, meta if t == 5 else x) for t, x in secs]
    offs, body, off = [], b"", HDR
    for t, x in secs:
        offs.append(off)
        body += struct.pack(">HHQ", t, 0, len(x)) + x
        off += 12 + len(x)
    z = [0] * (32 - len(secs))
    head = struct.pack(">4sHHQQHH32Q32QI", b".eif", 4, 0, 1 << 30, 2, 0, len(secs),
                       *offs, *z, *[len(x) for _, x in secs], *z, 0)
    return head + struct.pack(">I", zlib.crc32(head + body)) + body


def describe_checks(tmp, d, data, secs):
    def bad_images():
        cases = [("short", data[:100], "shorter than"),
                 ("magic", b"ELF!" + data[4:], "magic"),
                 ("truncated", data[:-100], "truncated"),
                 ("many", data[:26] + struct.pack(">H", 40) + data[28:], "40 sections"),
                 ("sizes", data[:28 + 256] + struct.pack(">Q", 5) + data[28 + 264:], "by the EIF header"),
                 ("empty", b"", "shorter than"),
                 ("deep metadata", with_metadata(data, b"[" * 100000 + b"]" * 100000), "nested too deep"),
                 ("BuildMetadata", with_metadata(data, b'{"BuildMetadata":[1,2]}'), "not an object")]
        for name, blob, why in cases:
            write(f"{tmp}/{name}.bad", blob)
            q = run("--describe", f"{tmp}/{name}.bad")
            lines = q.stderr.strip().splitlines()
            assert q.returncode == 1 and len(lines) == 1 and why in lines[0] and \
                lines[0].startswith("mkeif: "), (name, q.stderr)
        q = run("--describe", f"{tmp}/no-such.eif")
        assert q.returncode == 1 and "No such file" in q.stderr, q.stderr
    check("mkeif: --describe of a short, truncated, inconsistent or missing EIF: one clear line, status 1",
          bad_images)

    def bad_crc():
        flipped = bytearray(data)
        flipped[-1] ^= 1
        write(f"{tmp}/flipped.eif", bytes(flipped))
        q = run("--describe", f"{tmp}/flipped.eif")
        assert q.returncode == 1 and "WRONG" in q.stdout, q.stdout
        j = json.loads(run("--describe", f"{tmp}/flipped.eif", "--json").stdout)
        assert j["CheckCRC"] is False
    check("mkeif: --describe finds a flipped bit (CRC32 wrong, status 1)", bad_crc)

    def signed():
        der = b"0\x82\x01\x00fake certificate DER"
        rds = [x for t, x in secs if t == 3]
        write(f"{tmp}/signed.eif", signed_eif(secs[0][1], secs[1][1], rds, der))
        q = run("--describe", f"{tmp}/signed.eif", "--json")
        assert q.returncode == 0, q.stderr
        j = json.loads(q.stdout)
        assert j["IsSigned"] is True and j["CheckCRC"] is True and j["ImageName"] == "signed"
        assert j["Measurements"]["PCR8"] == pcr(der)
        assert j["Measurements"]["PCR0"] == expected_pcrs(secs)["PCR0"], "the signature is measured"
    check("mkeif: --describe of a signed EIF written here (nitro-cli's layout): IsSigned, PCR8", signed)


def hostile_images(tmp):
    """Image tarballs that once gave a traceback, or a refusal where docker
    save's own output was meant (error_checks' cases name them)."""
    cfg = json.dumps(IMAGE_CONFIG).encode()
    cn = hashlib.sha256(cfg).hexdigest() + ".json"
    layer = tar_bytes([F("a", b"1")])
    docker_save(f"{tmp}/tagsdict.tar", manifest=[{"Config": cn, "RepoTags": {"a": 1},
                                                  "Layers": ["l0/layer.tar"]}], layer_list=[layer])
    write(f"{tmp}/ocidict.tar", tar_bytes([F("index.json", b'{"manifests": {"a": 1}}')]))
    deep = b"[" * 100000 + b"]" * 100000
    write(f"{tmp}/deepman.tar", tar_bytes([F("manifest.json", deep)]))
    write(f"{tmp}/deepcfg.tar", tar_bytes([F("c.json", deep), F("manifest.json", json.dumps(
        [{"Config": "c.json", "Layers": []}]).encode())]))
    for name, c in (("cmdsur", {"Cmd": ["/a\ud800"]}), ("labelsur", {"Cmd": ["/a"], "Labels": {"x": "\ud800"}}),
                    ("cmdnul", {"Cmd": ["/a\0b"]}), ("envnul", {"Cmd": ["/a"], "Env": ["A=\0"]})):
        docker_save(f"{tmp}/{name}.tar", config={"config": c}, layer_list=[layer])
    write(f"{tmp}/linkout.tar", tar_bytes([
        F(cn, cfg), D("l0"), L("l0/layer.tar", "../../../etc/passwd"),
        F("manifest.json", json.dumps([{"Config": cn, "Layers": ["l0/layer.tar"]}]).encode())]))


def layer_link_checks(tmp, d):
    def shared_layer():
        # docker save writes a layer two entries share once, the other as
        # a relative symbolic link to it.
        cfg = json.dumps(IMAGE_CONFIG).encode()
        cn = hashlib.sha256(cfg).hexdigest() + ".json"
        one, two = layers()
        img = f"{tmp}/shared.tar"
        write(img, tar_bytes([
            F(cn, cfg), D("l0"), F("l0/layer.tar", one), D("l1"), F("l1/layer.tar", two),
            D("l2"), L("l2/layer.tar", "../l0/layer.tar"),
            F("manifest.json", json.dumps([{"Config": cn, "RepoTags": ["x:1"], "Layers": [
                "l0/layer.tar", "l1/layer.tar", "l2/layer.tar"]}]).encode())]))
        _, s = image_build(d, img, f"{tmp}/shared.eif")
        r = ramdisk(s, 1)
        assert r["rootfs/etc/old"][1] == b"gone\n", "the linked layer (layer one again) applied"
    check("mkeif: docker save's layer that is a symbolic link to another layer is followed", shared_layer)


def error_checks(tmp, d):
    img = f"{tmp}/docker-save.tar"
    write(f"{tmp}/notatar", b"hello, not a tarball" * 40)
    write(f"{tmp}/nomanifest.tar", tar_bytes([F("x", b"y")]))
    docker_save(f"{tmp}/two.tar", manifest=[{"Config": "a"}, {"Config": "b"}])
    docker_save(f"{tmp}/nolayer.tar", manifest=[{"Config": "missing.json", "Layers": []}])
    cfg = json.loads(json.dumps(IMAGE_CONFIG))
    cfg["config"].pop("Entrypoint")
    cfg["config"].pop("Cmd")
    docker_save(f"{tmp}/nocmd.tar", config=cfg)
    docker_save(f"{tmp}/strcmd.tar", config={"config": {"Cmd": "/bin/app --x"}})
    docker_save(f"{tmp}/shape.tar", manifest=[{"Config": 7, "Layers": [1]}])
    write(f"{tmp}/empty", b"")
    hostile_images(tmp)
    base = build_args(d, f"{tmp}/err.eif")
    good_app = app_args(d)
    cases = [
        ("no kernel", [a if a != f"{d}/bzImage" else f"{d}/nope" for a in base] + good_app, "nope (--kernel)"),
        ("no init", [a if a != f"{d}/init" else f"{d}/noinit" for a in base] + good_app, "noinit (--init)"),
        ("empty kernel", [a if a != f"{d}/bzImage" else f"{tmp}/empty" for a in base] + good_app, "empty"),
        ("both", base + ["--docker-image", img] + good_app, "one of --rootfs"),
        ("neither", base, "one of --rootfs"),
        ("rootfs file", base + ["--rootfs", f"{d}/init"], "not a directory"),
        ("boot-file spec", base + ["--boot-file", "x"] + good_app, "SRC:DEST"),
        ("boot-file mode", base + ["--boot-file", f"{d}/init:x:9z"] + good_app, "not octal"),
        ("boot-file twice", base + ["--boot-file", f"{d}/init:nsm.ko"] + good_app, "given twice"),
        ("build time", base + ["--build-time", "yesterday"] + good_app, "ISO 8601"),
        ("cmd twice", base + ["--cmd-file", f"{d}/env"] + good_app, "give one"),
        ("newline", base + ["--rootfs", f"{d}/root", "--", "a\nb"], "newline"),
        ("not a tar", base + ["--docker-image", f"{tmp}/notatar"], "not a tar archive"),
        ("no manifest", base + ["--docker-image", f"{tmp}/nomanifest.tar"], "manifest.json"),
        ("two images", base + ["--docker-image", f"{tmp}/two.tar"], "2 images"),
        ("missing config", base + ["--docker-image", f"{tmp}/nolayer.tar"], "missing.json is missing"),
        ("no command", base + ["--docker-image", f"{tmp}/nocmd.tar"], "no command"),
        ("string Cmd", base + ["--docker-image", f"{tmp}/strcmd.tar"], "Cmd is not a list"),
        ("odd manifest", base + ["--docker-image", f"{tmp}/shape.tar"], "names no Config"),
        ("no image", base + ["--docker-image", f"{tmp}/nothere.tar"], "No such file"),
        ("missing -o", ["--kernel", f"{d}/bzImage"], "missing -o"),
        ("RepoTags an object", base + ["--docker-image", f"{tmp}/tagsdict.tar"], "not shaped as"),
        ("OCI manifests an object", base + ["--docker-image", f"{tmp}/ocidict.tar"], "not shaped as"),
        ("deep manifest", base + ["--docker-image", f"{tmp}/deepman.tar"], "nested too deep"),
        ("deep config", base + ["--docker-image", f"{tmp}/deepcfg.tar"], "nested too deep"),
        ("Cmd surrogate", base + ["--docker-image", f"{tmp}/cmdsur.tar"], "lone surrogate"),
        ("Label surrogate", base + ["--docker-image", f"{tmp}/labelsur.tar"], "lone surrogate"),
        ("Cmd NUL", base + ["--docker-image", f"{tmp}/cmdnul.tar"], "NUL"),
        ("Env NUL", base + ["--docker-image", f"{tmp}/envnul.tar"], "KEY=VALUE"),
        ("layer link out", base + ["--docker-image", f"{tmp}/linkout.tar"], "out of the tarball"),
        ("bad epoch", base + good_app, "SOURCE_DATE_EPOCH"),
    ]

    def errors():
        for name, args, why in cases:
            env = dict(os.environ, SOURCE_DATE_EPOCH="soon") if name == "bad epoch" else None
            q = run(*args, env=env)
            lines = q.stderr.strip().splitlines()
            assert q.returncode == 1 and lines and why in lines[-1] and \
                lines[-1].startswith("mkeif: ") and "Traceback" not in q.stderr, \
                f"{name}: status {q.returncode}, {q.stderr!r}"
            assert not os.path.exists(f"{tmp}/err.eif"), f"{name}: wrote an image"
    check(f"mkeif: {len(cases)} bad inputs, each one clear line and status 1, no image written",
          errors)


if __name__ == "__main__":
    main()
