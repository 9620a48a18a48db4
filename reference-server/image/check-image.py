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
     command must exit 0, and SIGTERM must stop the server;
  4. with --aot, what add-aot-cache.sh does with Docker for the deployed image: a training run of
     the image (the entrypoint with --aot-training, the JVM recording an ahead-of-time cache) must
     exit 0 and leave the cache, which is then added under /app/aot as aot/Dockerfile adds it, and
     the Dockerfile's entrypoint must start the server with it (-XX:AOTMode=on: a cache that does
     not fit stops the JVM) and stop on SIGTERM. Needs a JRE of 25 or later (--java).

Usage: check-image.py IMAGE_TAR [--no-run] [--aot] [--java PATH_TO_JAVA]
"""
import gzip
import io
import json
import re
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
             "-XX:+ExitOnOutOfMemoryError", "-XX:+UseG1GC", "-XX:MaxGCPauseMillis=20", "-XX:MaxTenuringThreshold=1",
             "-Djava.io.tmpdir=/tmp", "-Dfile.encoding=UTF-8"]
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


class Chroot:
    """Runs commands in the extracted root file system as ECS runs the image: read-only, as uid 10001,
    with only the given environment and the given JRE standing in for the base image's."""

    def __init__(self, root, work, java, tmp=None):
        self.java_bin = os.path.dirname(os.path.realpath(java))
        for d in ["usr", "bin", "lib", "lib64", "etc", "proc", "sys", "dev", "tmp"]:
            os.makedirs(os.path.join(root, d), exist_ok=True)
        # /tmp is the task's volume: a small tmpfs, or a host folder (tmp) whose files outlive the run
        tmp_mount = (f'mount --bind "{tmp}" "$root/tmp"' if tmp
                     else 'mount -t tmpfs -o mode=1777,size=64m tmpfs "$root/tmp"')
        mounts = "\n".join([
            "set -e",
            f'root="{root}"',
            # the image's files read-only, as on ECS (readonlyRootFilesystem)
            'mount --bind "$root" "$root"',
            *[f'[ -e /{d} ] && mount --rbind /{d} "$root/{d}"' + " || true" for d in ["usr", "bin", "lib", "lib64", "etc", "proc", "sys", "dev"]],
            tmp_mount,
            'mount -o remount,bind,ro "$root"',
            'cd "$root"',
            'exec chroot --userspec=10001:10001 "$root" /usr/bin/env -i "$@"',
        ])
        self.script = os.path.join(work, f"enter-{len(os.listdir(work))}.sh")
        with open(self.script, "w") as f:
            f.write(mounts + "\n")

    def command(self, name, command, env):
        """A private mount namespace, the image's root, uid 10001, only {env}, cwd /app."""
        env = dict(env)
        # The base image puts its JRE on PATH; here the given JRE stands in for it.
        env["PATH"] = self.java_bin + ":/usr/bin:/bin"
        return (["unshare", "--mount", "--propagation", "private", "sh", self.script]
                + [f"{k}={v}" for k, v in env.items()]
                + ["/bin/sh", "-c", 'cd /app && exec "$@"', name] + command)


def server_env(config_env, port):
    env = dict(config_env)
    env.update({"PORT": str(port), "HOST": "127.0.0.1", "EMF_ENABLED": "false", "SHUTDOWN_GRACE_SECONDS": "2"})
    return env


def run_entrypoint(root, config_env, work, java, entrypoint=ENTRYPOINT, extra_env=None, what="the entrypoint"):
    """Runs {entrypoint} in the extracted root file system: it must serve /health/live, pass the task
    definition's health check, run as uid 10001 and stop gracefully on SIGTERM."""
    chroot = Chroot(root, work, java)
    port = free_port()
    env = server_env(config_env, port)
    env.update(extra_env or {})
    log_path = os.path.join(work, "server.log")
    log = open(log_path, "w")
    entry = subprocess.Popen(chroot.command("entrypoint", entrypoint, env),
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
        if not check(status == 200, f"{what} starts the server: /health/live answered {status}"):
            print(open(log_path).read()[-4000:])
            return
        probe = subprocess.run(chroot.command("probe", HEALTH_CHECK, server_env(config_env, port)),
                               capture_output=True, text=True, timeout=60)
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


AOT_DOCKERFILE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "aot", "Dockerfile")
AOT_CACHE = "/app/aot/storymagic.aot"


def dockerfile_entrypoint():
    """The exec-form ENTRYPOINT of aot/Dockerfile, the deployed image's."""
    for line in open(AOT_DOCKERFILE):
        if line.startswith("ENTRYPOINT "):
            return json.loads(line[len("ENTRYPOINT "):])
    raise SystemExit(f"no ENTRYPOINT in {AOT_DOCKERFILE}")


def check_aot(root, config_env, work, java):
    """What add-aot-cache.sh does with Docker: train, add the cache, start with it."""
    entrypoint = dockerfile_entrypoint()
    check(entrypoint == ENTRYPOINT[:1] + [f"-XX:AOTCache={AOT_CACHE}"] + ENTRYPOINT[1:],
          f"aot/Dockerfile's entrypoint is Jib's with the cache ({entrypoint})")
    tmp = os.path.join(work, "tmp")
    os.makedirs(tmp, mode=0o1777)
    os.chmod(tmp, 0o1777)
    chroot = Chroot(root, work, java, tmp=tmp)
    env = server_env(config_env, free_port())
    env.update({"OPENAI_API_KEY": "sk-aot-training-placeholder",
                "JDK_JAVA_OPTIONS": "-XX:AOTCacheOutput=/tmp/storymagic.aot"})
    started = time.time()
    training = subprocess.run(chroot.command("training", ENTRYPOINT + ["--aot-training"], env),
                              capture_output=True, text=True, timeout=600)
    bursts = re.findall(r"burst \d+ of \d+, \d+ requests in \d+ ms, answers by status \{[^}]*\}", training.stderr)
    cache = os.path.join(tmp, "storymagic.aot")
    if not check(training.returncode == 0 and os.path.isfile(cache),
                 f"a training run of the image exits 0 and leaves its cache in {time.time() - started:.0f} s"
                 f" (exit {training.returncode}; {bursts})"):
        print((training.stdout + training.stderr)[-4000:])
        return
    check(len(bursts) > 0, f"the training run sent its bursts ({len(bursts)}), every request answered (exit 0)")
    target = os.path.join(root, AOT_CACHE.lstrip("/"))
    os.makedirs(os.path.dirname(target), exist_ok=True)
    shutil.copyfile(cache, target)
    os.chmod(target, 0o444)
    print(f"# ahead-of-time cache: {os.path.getsize(target) // (1 << 20)} MiB")
    run_entrypoint(root, config_env, work, java, entrypoint=entrypoint,
                   extra_env={"JDK_JAVA_OPTIONS": "-XX:AOTMode=on"},
                   what="the deployed image's entrypoint with the cache (-XX:AOTMode=on)")


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
    aot = "--aot" in sys.argv
    java = sys.argv[sys.argv.index("--java") + 1] if "--java" in sys.argv else shutil.which("java")
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
            run_entrypoint(root, env, work, java)
        if aot:
            check_aot(root, env, work, java)
    finally:
        subprocess.run(["rm", "-rf", work])
    print(f"{passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
