#!/usr/bin/env python3
"""Checks the Kubernetes manifests of scripts/cluster/kubernetes/ without a cluster (issue 16, part 4).

    kubernetes_check.py THERMO SOURCE_DIR
    kubernetes_check.py --self-test SOURCE_DIR

--self-test: the static checks refuse copies of the manifests broken in each way they look for.

Static: both files are valid YAML; the sweep is a batch/v1 Job with completionMode Indexed whose
command runs `thermo sweep … --shard "$JOB_COMPLETION_INDEX/N"` with N its completions, writes
shard-$JOB_COMPLETION_INDEX.csv on the shared claim that the merge Job reads, and the merge Job
joins shard-0 … shard-(N-1).

Then it runs the containers' commands here, as the pods would (the sweep's once per index with
JOB_COMPLETION_INDEX set, then the merge's), with the volumes' mount paths mapped to a temp dir
and THERMO as `thermo`, and checks that the merged table equals a local run of the same sweep
byte for byte, and that the merge Job prints it (its log is how a user gets the table).

Exit 0: passed; 77: skipped (PyYAML missing: Debian python3-yaml); 1: failed.
"""

import csv
import io
import os
import re
import shutil
import subprocess
import sys
import tempfile

SKIP = 77


class Problem(Exception):
    pass


def fail(message):
    raise Problem(message)


def check(condition, message):
    if not condition:
        fail(message)


def load(path, yaml):
    try:
        with open(path, encoding="utf-8") as f:
            return [d for d in yaml.safe_load_all(f) if d is not None]
    except (OSError, yaml.YAMLError) as e:
        fail(f"{path}: {e}")


def job(docs, name, path):
    jobs = [d for d in docs if d.get("kind") == "Job" and d.get("metadata", {}).get("name") == name]
    check(len(jobs) == 1, f"{path}: no Job named {name}")
    j = jobs[0]
    check(j.get("apiVersion") == "batch/v1", f"{path}: Job {name} is not batch/v1")
    pod = j["spec"]["template"]["spec"]
    check(pod.get("restartPolicy") in ("Never", "OnFailure"), f"{path}: Job {name} needs restartPolicy Never or OnFailure")
    check(len(pod.get("containers", [])) == 1, f"{path}: Job {name} should have one container")
    container = pod["containers"][0]
    command = container.get("command", [])
    check(len(command) == 3 and command[:2] == ["sh", "-c"], f"{path}: Job {name}'s command should be [sh, -c, SCRIPT]")
    claims = {v["name"]: v["persistentVolumeClaim"]["claimName"] for v in pod.get("volumes", []) if "persistentVolumeClaim" in v}
    mounts = {m["name"]: m["mountPath"] for m in container.get("volumeMounts", [])}
    return j, command[2], claims, mounts, pod


def static_check(here, yaml):
    """The static checks of the manifests in `here`; returns what the run needs."""
    try:
        return _static_check(here, yaml)
    except (KeyError, TypeError, AttributeError, IndexError, StopIteration) as e:
        fail(f"{here}: a manifest lacks an expected field or has the wrong type ({type(e).__name__}: {e})")


def _static_check(here, yaml):
    sweep_path = os.path.join(here, "sweep-job.yaml")
    merge_path = os.path.join(here, "merge-job.yaml")
    sweep_docs = load(sweep_path, yaml)
    merge_docs = load(merge_path, yaml)

    sweep, sweep_sh, sweep_claims, sweep_mounts, sweep_pod = job(sweep_docs, "thermo-sweep", sweep_path)
    spec = sweep["spec"]
    check(spec.get("completionMode") == "Indexed", f"{sweep_path}: completionMode is not Indexed")
    n = spec.get("completions")
    check(isinstance(n, int) and n >= 1, f"{sweep_path}: completions must be a whole number >= 1")
    check(isinstance(spec.get("parallelism"), int) and 1 <= spec["parallelism"] <= n, f"{sweep_path}: parallelism must be 1..completions")
    check(re.search(r"\bthermo sweep ", sweep_sh) is not None, f"{sweep_path}: the command does not run thermo sweep")
    shard = re.findall(r'--shard "\$JOB_COMPLETION_INDEX/(\d+)"', sweep_sh)
    check(shard == [str(n)], f"{sweep_path}: the command needs --shard \"$JOB_COMPLETION_INDEX/{n}\" (N = completions), found {shard}")
    out = re.findall(r'--output "([^"]*)"', sweep_sh)
    check(len(out) == 1 and out[0].endswith("/shard-$JOB_COMPLETION_INDEX.csv"), f"{sweep_path}: the output should be DIR/shard-$JOB_COMPLETION_INDEX.csv")
    results_dir = os.path.dirname(out[0])
    pvcs = [d["metadata"]["name"] for d in sweep_docs if d.get("kind") == "PersistentVolumeClaim"]
    results_volume = [v for v, p in sweep_mounts.items() if p == results_dir]
    check(len(results_volume) == 1 and results_volume[0] in sweep_claims, f"{sweep_path}: {results_dir} is not a mounted claim")
    claim = sweep_claims[results_volume[0]]
    check(claim in pvcs, f"{sweep_path}: the claim {claim} is not defined in the file")
    pvc = next(d for d in sweep_docs if d.get("kind") == "PersistentVolumeClaim")
    check("ReadWriteMany" in pvc["spec"].get("accessModes", []), f"{sweep_path}: the shards' claim must be ReadWriteMany (pods on several nodes)")

    merge, merge_sh, merge_claims, merge_mounts, _ = job(merge_docs, "thermo-merge", merge_path)
    check(merge["spec"].get("completionMode", "NonIndexed") == "NonIndexed", f"{merge_path}: the merge is one pod")
    check(claim in merge_claims.values(), f"{merge_path}: the merge does not mount the claim {claim}")
    merge_volume = next(v for v, c in merge_claims.items() if c == claim)
    check(merge_mounts.get(merge_volume) == results_dir, f"{merge_path}: the claim should be mounted at {results_dir}, as in the sweep")
    check(re.search(rf"\bn={n};", merge_sh) is not None, f"{merge_path}: the merge should join n={n} shards (the sweep's completions)")
    check("thermo sweep --merge" in merge_sh, f"{merge_path}: the command does not run thermo sweep --merge")
    return dict(n=n, claim=claim, sweep_sh=sweep_sh, merge_sh=merge_sh, out=out[0], results_dir=results_dir,
                sweep_pod=sweep_pod, sweep_mounts=sweep_mounts, sweep_path=sweep_path)


# (file, text, replacement, what the check must then say)
BREAKAGES = [
    ("sweep-job.yaml", "completionMode: Indexed", "completionMode: NonIndexed", "completionMode is not Indexed"),
    ("sweep-job.yaml", "completions: 4", "completions: 5", "--shard"),
    ("sweep-job.yaml", '"$JOB_COMPLETION_INDEX/4"', '"$INDEX/4"', "--shard"),
    ("sweep-job.yaml", "shard-$JOB_COMPLETION_INDEX.csv", "shard.csv", "shard-$JOB_COMPLETION_INDEX.csv"),
    ("sweep-job.yaml", "ReadWriteMany", "ReadWriteOnce", "ReadWriteMany"),
    ("sweep-job.yaml", "restartPolicy: Never", "restartPolicy: Always", "restartPolicy"),
    ("sweep-job.yaml", "  parallelism: 4", "  parallelism: 5", "parallelism"),
    ("sweep-job.yaml", "apiVersion: batch/v1", "apiVersion: batch/v1\n  bad: [", "sweep-job.yaml"),
    ("merge-job.yaml", "n=4;", "n=3;", "n=4"),
    ("merge-job.yaml", "claimName: thermo-results", "claimName: other", "does not mount the claim"),
    ("merge-job.yaml", "mountPath: /results", "mountPath: /data", "should be mounted at /results"),
]


def self_test(src, yaml):
    here = os.path.join(src, "scripts", "cluster", "kubernetes")
    static_check(here, yaml)
    with tempfile.TemporaryDirectory(prefix="thermo-k8s-self.") as tmp:
        for name, text, replacement, expected in BREAKAGES:
            for f in ("sweep-job.yaml", "merge-job.yaml"):
                shutil.copy(os.path.join(here, f), tmp)
            path = os.path.join(tmp, name)
            with open(path, encoding="utf-8") as f:
                content = f.read()
            check(text in content, f"self-test: {name} no longer contains {text!r}: update BREAKAGES")
            with open(path, "w", encoding="utf-8") as f:
                f.write(content.replace(text, replacement, 1))
            try:
                static_check(tmp, yaml)
            except Problem as e:
                check(expected in str(e), f"self-test: {name} with {replacement!r}: expected a message naming {expected!r}, got: {e}")
                continue
            fail(f"self-test: {name} with {text!r} -> {replacement!r} passed the static checks")
    print(f"kubernetes_check: the static checks refuse all {len(BREAKAGES)} broken manifests")


def main():
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    thermo, src = sys.argv[1], sys.argv[2]
    try:
        import yaml
    except ImportError:
        print("SKIPPED: PyYAML is missing (Debian: python3-yaml); the manifests cannot be parsed")
        return SKIP
    try:
        if thermo == "--self-test":
            self_test(src, yaml)
        else:
            run_check(thermo, src, yaml)
    except Problem as e:
        print(f"FAILED: {e}", file=sys.stderr)
        return 1
    return 0


def run_check(thermo, src, yaml):
    here = os.path.join(src, "scripts", "cluster", "kubernetes")
    m = static_check(here, yaml)
    n, claim, sweep_sh, merge_sh, out0, results_dir = m["n"], m["claim"], m["sweep_sh"], m["merge_sh"], m["out"], m["results_dir"]
    sweep_pod, sweep_mounts, sweep_path = m["sweep_pod"], m["sweep_mounts"], m["sweep_path"]
    print(f"kubernetes_check: manifests consistent: Indexed Job of {n} shards on claim {claim}, merge Job")

    # --- the commands, run here as the pods would ------------------------------------------------
    tmp = tempfile.mkdtemp(prefix="thermo-k8s.")
    try:
        bin_dir = os.path.join(tmp, "bin")
        os.mkdir(bin_dir)
        os.symlink(os.path.abspath(thermo), os.path.join(bin_dir, "thermo"))
        env = dict(os.environ, PATH=bin_dir + os.pathsep + os.environ.get("PATH", ""))
        # each mount path becomes a directory in tmp; the ConfigMap's keys become its files
        local = {}
        for volume in sweep_pod["volumes"]:
            path = sweep_mounts[volume["name"]]
            local[path] = os.path.join(tmp, volume["name"])
            os.mkdir(local[path])
            if "configMap" in volume:
                check(volume["configMap"]["name"] == "thermo-study", f"{sweep_path}: the ConfigMap should be thermo-study, as the how-to creates it")
                shutil.copy(os.path.join(src, "examples", "scenarios", "rk3399-big-cores-flat-out.scn"), os.path.join(local[path], "study.scn"))

        def mapped(script):
            for path, there in sorted(local.items(), key=lambda item: -len(item[0])):
                script = re.sub(re.escape(path) + r"(?=[/\"\s]|$)", there, script)
            return script

        def run(script, index=None):
            e = dict(env)
            if index is not None:
                e["JOB_COMPLETION_INDEX"] = str(index)
            r = subprocess.run(["sh", "-c", mapped(script)], env=e, capture_output=True, timeout=300)
            check(r.returncode == 0, f"the command exited {r.returncode}: {r.stderr.decode(errors='replace')}\n{mapped(script)}")
            return r.stdout

        for index in range(n):
            run(sweep_sh, index)
        printed = run(merge_sh)
        # the same sweep on one machine: shard 0/1 is the whole run
        whole = sweep_sh.replace(f'"$JOB_COMPLETION_INDEX/{n}"', "0/1").replace(out0, os.path.join(tmp, "local.csv"))
        run(whole)
        with open(os.path.join(local[results_dir], "results.csv"), "rb") as f:
            merged = f.read()
        with open(os.path.join(tmp, "local.csv"), "rb") as f:
            expected = f.read()
        check(merged == expected, "the merged table differs from the local run of the same sweep")
        check(printed == merged, "the merge Job does not print the merged table")
        table = list(csv.reader(io.StringIO(merged.decode("utf-8"))))
        check(len(table) > 1 and "status" in table[0], "the merged table has no rows or no status column")
        status = table[0].index("status")
        failed = [row[0] for row in table[1:] if row[status] != "ok"]
        check(not failed, f"points {failed} failed: a table of failed points would merge just as well")
        rows = len(table) - 1
        print(f"kubernetes_check: {n} pods' shards merged = local run, byte for byte ({rows} rows)")
    finally:
        shutil.rmtree(tmp)


if __name__ == "__main__":
    sys.exit(main())
