#!/usr/bin/env python3
"""Checks the reference server's container image tarball built by Jib (mvn -Pimage-tar), without a
Docker engine:

  1. manifest and config: user 10001, exec-form entrypoint, port 3000, PORT and JAVA_TOOL_OPTIONS
     as the task definition expects, working directory /app;
  2. layer contents: everything under /app, owned by root and not writable by the user; the server's
     jar, its runtime dependencies (exactly the entries of Jib's classpath file) and nothing from the
     build (no loose classes, test libraries, sources or build folders);
  3. the entrypoint starts: the layers are extracted into a root file system, mounted read-only as
     on ECS (readonlyRootFilesystem, /tmp writable), and the config's entrypoint runs in it as uid
     10001 with the config's environment and this machine's JRE (bind-mounted from the host, in a
     private mount namespace); /health/live must answer 200, the task definition's health-check
     command must exit 0, and SIGTERM must stop the server.

Usage: check-image.py IMAGE_TAR [--no-run]
"""
import gzip
import io
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tarfile
import tempfile
import time
import urllib.request
import zipfile

MAIN_CLASS = "dev.storymagic.server.StoryMagicServer"
ENTRYPOINT = ["java", "-cp", "@/app/jib-classpath-file", MAIN_CLASS]
HEALTH_CHECK = ["java", "-XX:TieredStopAtLevel=1", "-Xmx32m", "-cp", "/app/classpath/*",
                "dev.storymagic.server.internal.LivenessProbe"]
JVM_FLAGS = ["-XX:+UseContainerSupport", "-XX:MaxRAMPercentage=75", "-XX:InitialRAMPercentage=25",
             "-XX:+ExitOnOutOfMemoryError", "-XX:+UseG1GC", "-XX:MaxGCPauseMillis=50", "-Djava.io.tmpdir=/tmp",
             "-Dfile.encoding=UTF-8"]
# Artifacts that only tests or the build use; none may reach the image.
BUILD_ONLY = ["junit", "assertj", "wiremock", "selenium", "awaitility", "opentest4j", "apiguardian", "jmh",
              "maven", "plexus", "byte-buddy-agent", "mockito"]

passed = 0
failed = 0


def check(ok, what):
    global passed, failed
    if ok:
        passed += 1
        print(f"ok - {what}")
    else:
        failed += 1
        print(f"not ok - {what}")
    return ok


def read_image(path):
    with tarfile.open(path) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
        check(len(manifest) == 1, "the tarball holds one image")
        entry = manifest[0]
        config = json.load(tar.extractfile(entry["Config"]))
        layers = [tar.extractfile(name).read() for name in entry["Layers"]]
    return entry, config, layers


def layer_members(blob):
    data = gzip.decompress(blob) if blob[:2] == b"\x1f\x8b" else blob
    with tarfile.open(fileobj=io.BytesIO(data)) as tar:
        return tar.getmembers(), data


def check_config(entry, config):
    c = config.get("config", {})
    env = dict(e.split("=", 1) for e in c.get("Env") or [])
    check(config.get("os") == "linux" and config.get("architecture") == "amd64", "linux/amd64 image (as Fargate runs X86_64)")
    check(c.get("User") == "10001:10001", f"runs as uid/gid 10001, not root (User={c.get('User')!r})")
    check(c.get("Entrypoint") == ENTRYPOINT, f"exec-form entrypoint {ENTRYPOINT} (got {c.get('Entrypoint')})")
    check(not c.get("Cmd"), "no Cmd appended to the entrypoint")
    check(c.get("WorkingDir") == "/app", "working directory /app")
    check(list((c.get("ExposedPorts") or {}).keys()) == ["3000/tcp"], f"exposes 3000/tcp only ({c.get('ExposedPorts')})")
    check(env.get("PORT") == "3000", "PORT=3000, the task definition's container port")
    flags = env.get("JAVA_TOOL_OPTIONS", "").split()
    check(flags == JVM_FLAGS, f"JAVA_TOOL_OPTIONS carries the JVM flags {' '.join(JVM_FLAGS)}")
    labels = c.get("Labels") or {}
    check("org.opencontainers.image.revision" in labels, "labelled with the source revision")
    check(entry.get("RepoTags"), f"tagged {entry.get('RepoTags')}")
    return env


def check_layers(layers):
    files = {}
    for blob in layers:
        members, _ = layer_members(blob)
        for m in members:
            files["/" + m.name.lstrip("./")] = m
    regular = {p: m for p, m in files.items() if m.isfile()}
    outside = sorted(p for p in files if not (p == "/app" or p.startswith("/app/")))
    check(not outside, f"every file is under /app (outside: {outside[:5]})")
    check(all(m.uid == 0 and m.gid == 0 for m in files.values()), "files are owned by root")
    check(all(not (m.mode & 0o022) for m in files.values()), "nothing is writable by the user the server runs as")

    server = [p for p in regular if p.startswith("/app/classpath/")]
    check(len(server) == 1 and server[0].endswith(".jar") and "storymagic-server" in server[0],
          f"the server's own jar, once: {server}")
    libs = sorted(p for p in regular if p.startswith("/app/libs/"))
    check(all(p.endswith(".jar") for p in libs), "only jars in /app/libs")
    for module in ["storymagic-core", "storymagic-openai", "storymagic-store", "javalin", "jackson-databind", "postgresql"]:
        check(any(os.path.basename(p).startswith(module + "-") for p in libs), f"runtime dependency {module} is in /app/libs")
    build_only = [p for p in libs if any(b in os.path.basename(p) for b in BUILD_ONLY)]
    check(not build_only, f"no test or build library in the image ({build_only})")
    shaded = [p for p in regular if p.endswith("storymagic-server.jar") or p.endswith("-all.jar")]
    check(not shaded, f"not the shaded jar as well ({shaded})")
    loose = [p for p in regular if p.endswith((".class", ".java", ".pom", ".xml", ".properties")) or "/target/" in p
             or "/test-classes/" in p or "/.git" in p]
    check(not loose, f"no loose classes, sources or build folders ({loose[:5]})")
    others = sorted(set(regular) - set(server) - set(libs) - {"/app/jib-classpath-file", "/app/jib-main-class-file"})
    check(not others, f"nothing else in the image ({others[:5]})")
    return files


def classpath_matches(root):
    entries = [e for e in open(os.path.join(root, "app/jib-classpath-file")).read().strip().split(":") if e]
    jars = []
    for e in entries:  # a directory wildcard stands for every jar in it, as java reads it
        if e.endswith("/*"):
            folder = os.path.join(root, e[1:-2])
            jars += sorted(e[:-1] + f for f in os.listdir(folder) if f.endswith(".jar")) if os.path.isdir(folder) else [e]
        else:
            jars.append(e)
    present = all(os.path.isfile(os.path.join(root, e.lstrip("/"))) for e in jars)
    check(present, f"every classpath entry ({len(jars)} jars) is in the image")
    in_image = set("/" + os.path.relpath(os.path.join(d, f), root)
                   for d, _, fs in os.walk(os.path.join(root, "app")) for f in fs if f.endswith(".jar"))
    check(in_image == set(jars), "every jar in the image is on the classpath")
    main = MAIN_CLASS.replace(".", "/") + ".class"
    servers = [os.path.join(root, j.lstrip("/")) for j in jars if "/app/classpath/" in j]
    check(any(main in zipfile.ZipFile(j).namelist() for j in servers), f"the entrypoint's main class {MAIN_CLASS} is in the server's jar")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run_entrypoint(root, config_env, work):
    """Runs the config's entrypoint in the extracted root file system with the machine's JRE."""
    java = os.path.realpath(shutil.which("java"))
    java_bin = os.path.dirname(java)
    port = free_port()
    env = dict(config_env)
    env.update({"PORT": str(port), "HOST": "127.0.0.1", "EMF_ENABLED": "false", "SHUTDOWN_GRACE_SECONDS": "2",
                # The base image puts its JRE on PATH; here the machine's JRE stands in for it.
                "PATH": java_bin + ":/usr/bin:/bin"})
    for d in ["usr", "bin", "lib", "lib64", "etc", "proc", "sys", "dev", "tmp"]:
        os.makedirs(os.path.join(root, d), exist_ok=True)
    mounts = "\n".join([
        "set -e",
        f'root="{root}"',
        # the image's files read-only, as on ECS (readonlyRootFilesystem); /tmp is the task's volume
        'mount --bind "$root" "$root"',
        *[f'[ -e /{d} ] && mount --rbind /{d} "$root/{d}"' + " || true" for d in ["usr", "bin", "lib", "lib64", "etc", "proc", "sys", "dev"]],
        'mount -t tmpfs -o mode=1777,size=64m tmpfs "$root/tmp"',
        'mount -o remount,bind,ro "$root"',
        'cd "$root"',
        'exec chroot --userspec=10001:10001 "$root" /usr/bin/env -i "$@"',
    ])
    script = os.path.join(work, "enter.sh")
    with open(script, "w") as f:
        f.write(mounts + "\n")
    env_args = [f"{k}={v}" for k, v in env.items()]
    log_path = os.path.join(work, "server.log")

    def inside(name, command):
        # a private mount namespace, the image's root, uid 10001, only the given environment, cwd /app
        return (["unshare", "--mount", "--propagation", "private", "sh", script] + env_args
                + ["/bin/sh", "-c", 'cd /app && exec "$@"', name] + command)

    log = open(log_path, "w")
    entry = subprocess.Popen(inside("entrypoint", ENTRYPOINT),
                             stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.time() + 120
        status = None
        while time.time() < deadline and entry.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/health/live", timeout=2) as r:
                    status = r.status
                    break
            except Exception:
                time.sleep(1)
        if not check(status == 200, f"the entrypoint starts the server: /health/live answered {status}"):
            print(open(log_path).read()[-4000:])
            return
        probe = subprocess.run(inside("probe", HEALTH_CHECK), capture_output=True, text=True, timeout=60)
        check(probe.returncode == 0, f"the task definition's health-check command exits 0 ({probe.returncode} {probe.stderr[-300:]})")
        whoami = open(f"/proc/{java_pid(entry.pid)}/status").read() if java_pid(entry.pid) else ""
        check("Uid:\t10001" in whoami, "the server process runs as uid 10001")
        os.killpg(entry.pid, signal.SIGTERM)
        try:
            code = entry.wait(timeout=40)
        except subprocess.TimeoutExpired:
            code = None
        check(code is not None, f"SIGTERM stops the server (exit {code})")
        text = open(log_path).read()
        check("StoryMagic stopped" in text, "the server shut down gracefully (\"StoryMagic stopped\" logged)")
        check(text.count("Picked up JAVA_TOOL_OPTIONS") >= 1 and "-XX:MaxRAMPercentage=75" in text,
              "the JVM picked up the image's JAVA_TOOL_OPTIONS")
    finally:
        if entry.poll() is None:
            os.killpg(entry.pid, signal.SIGKILL)
        log.close()


def java_pid(parent):
    """The java process under the unshare/chroot chain started as {parent}."""
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            if os.getsid(int(pid)) == parent and os.path.basename(os.readlink(f"/proc/{pid}/exe")) == "java":
                return int(pid)
        except OSError:
            continue
    return None


def main():
    if len(sys.argv) < 2:
        print(__doc__)
        return 2
    image = sys.argv[1]
    run = "--no-run" not in sys.argv
    entry, config, layers = read_image(image)
    env = check_config(entry, config)
    check_layers(layers)
    work = tempfile.mkdtemp(prefix="storymagic-image-")
    root = os.path.join(work, "rootfs")
    os.makedirs(root)
    try:
        for blob in layers:
            _, data = layer_members(blob)
            with tarfile.open(fileobj=io.BytesIO(data)) as tar:
                tar.extractall(root, numeric_owner=True)
        classpath_matches(root)
        if run:
            run_entrypoint(root, env, work)
    finally:
        subprocess.run(["rm", "-rf", work])
    print(f"{passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
