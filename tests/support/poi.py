"""Apache POI (Java) as an outside judge of our formulas: find it, run tests/java/PoiEvaluate.java.

POI comes from Debian (`libapache-poi-java`, 4.0.1 on bookworm), but that package's
poi-ooxml-schemas.jar is broken: its build drops XMLBeans 4's type system
(org/apache/xmlbeans/metadata/...) and most schema classes, so XSSFWorkbook cannot open any .xlsx
("NoClassDefFoundError: .../TypeSystemHolder"). `build_schemas()` compiles the OOXML schemas
shipped in the same Debian source package with Debian's own XMLBeans into a complete jar, once,
and the classpath puts it in place of the broken one. Only the XML binding is rebuilt: POI's file
model, formula parser and evaluator are Debian's jars unchanged.

    python -m tests.support.poi --build-schemas     # after apt-get install libapache-poi-java
"""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

PROGRAM = Path(__file__).resolve().parents[1] / "java" / "PoiEvaluate.java"
JAVA_DIR = Path("/usr/share/java")
# what XSSFWorkbook + XSSFFormulaEvaluator load (found by dropping each in turn); the first is ours
DEBIAN_JARS = ("poi.jar", "poi-ooxml.jar", "xmlbeans.jar", "commons-collections4.jar", "commons-compress.jar",
               "commons-math3.jar")
PACKAGE = "libapache-poi-java"
HOW = ("Apache POI not usable: apt-get install libapache-poi-java default-jdk-headless, "
       "then python -m tests.support.poi --build-schemas")


def schemas_jar() -> Path:
    """Where the complete OOXML schemas jar lives ($POI_OOXML_SCHEMAS_JAR, else the user's cache)."""
    if os.environ.get("POI_OOXML_SCHEMAS_JAR"):
        return Path(os.environ["POI_OOXML_SCHEMAS_JAR"])
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return cache / "campaign-sheets" / "poi-ooxml-schemas-full.jar"


def poi_classpath() -> str | None:
    jars = [schemas_jar(), *(JAVA_DIR / j for j in DEBIAN_JARS)]
    return os.pathsep.join(map(str, jars)) if all(j.is_file() for j in jars) else None


def poi_ready() -> bool:
    """java with the source launcher (it compiles, so a JDK: javac) and every jar in place."""
    return shutil.which("java") is not None and shutil.which("javac") is not None and poi_classpath() is not None


def evaluate(*paths: str | os.PathLike, timeout: int = 300) -> list[dict]:
    """Run PoiEvaluate.java on `paths`: one dict per opened file and per formula cell."""
    cp = poi_classpath()
    if cp is None or shutil.which("java") is None:
        raise RuntimeError(HOW)
    proc = subprocess.run(["java", "-cp", cp, str(PROGRAM), *map(str, paths)], capture_output=True, text=True,
                          timeout=timeout)
    if proc.returncode != 0:
        raise RuntimeError(f"PoiEvaluate failed ({proc.returncode}): {proc.stderr[-4000:]}")
    return [json.loads(line) for line in proc.stdout.splitlines() if line.strip()]


def _installed_version() -> str:
    out = subprocess.run(["dpkg-query", "-W", "-f=${Version}", PACKAGE], capture_output=True, text=True)
    if out.returncode != 0 or not out.stdout:
        raise RuntimeError(f"{PACKAGE} is not installed: apt-get install {PACKAGE}")
    return out.stdout.strip()


def _source_list() -> str:
    """A deb-src line for the archive this machine installed the package from (as apt reports it)."""
    policy = subprocess.run(["apt-cache", "policy", PACKAGE], capture_output=True, text=True).stdout
    m = re.search(r"^\s+\d+\s+(\S+://\S+)\s+(\S+)/(\S+)\s+\S+\s+Packages$", policy, re.M)
    if not m:
        raise RuntimeError(f"cannot tell which archive {PACKAGE} came from:\n{policy}")
    uri, suite, component = m.groups()
    return f"deb-src {uri} {suite} {component}\n"


def _fetch_source(version: str, work: Path) -> Path:
    """apt-get source --download-only, with a private source list and lists dir (apt's config untouched)."""
    (work / "lists" / "partial").mkdir(parents=True)
    (work / "sources.list").write_text(_source_list(), encoding="utf-8")
    opts = ["-o", f"Dir::Etc::SourceList={work / 'sources.list'}", "-o", "Dir::Etc::SourceParts=/dev/null",
            "-o", f"Dir::State::Lists={work / 'lists'}", "-qq"]
    if os.geteuid() == 0:  # the temporary folder is root's: apt would warn, then download as root anyway
        opts += ["-o", "APT::Sandbox::User=root"]
    subprocess.run(["apt-get", *opts, "update"], check=True)
    subprocess.run(["apt-get", *opts, "source", "--download-only", f"{PACKAGE}={version}"], cwd=work, check=True)
    [orig] = work.glob(f"{PACKAGE}_*.orig.tar.*")
    return orig


def build_schemas(dest: Path | None = None) -> Path:
    """Compile the OOXML schemas of the installed POI's Debian source with Debian's XMLBeans into `dest`."""
    dest = dest or schemas_jar()
    version = _installed_version()
    with tempfile.TemporaryDirectory(prefix="poi-schemas-") as tmp:
        work = Path(tmp)
        orig = _fetch_source(version, work)
        xsds = work / "xsds"
        # what upstream's compile-ooxml-xsds compiles: the ECMA-376 schemas (less the package ones),
        # Visio's, and POI's markup-compatibility schema with its package-name config
        wanted = re.compile(r"^[^/]+/(ooxml-xsds/(?!opc)[^/]+\.xsd|src/ooxml/resources/org/apache/poi/"
                            r"(xdgf/visio\.xsd|schemas/[^/]+\.(xsd|xsdconfig)))$")
        with tarfile.open(orig) as tar:
            for member in tar:
                if member.isfile() and wanted.match(member.name):
                    member.name = Path(member.name).name
                    tar.extract(member, xsds, **({"filter": "data"} if hasattr(tarfile, "data_filter") else {}))
        if len(list(xsds.glob("*.xsd"))) < 50:
            raise RuntimeError(f"too few schemas found in {orig.name}")
        out = work / "ooxml-schemas.jar"
        cmd = ["java", "-Xmx2g", "-cp", str(JAVA_DIR / "xmlbeans.jar"), "org.apache.xmlbeans.impl.tool.SchemaCompiler",
               "-quiet", "-mx", "3072m", "-d", str(work / "classes"), "-src", str(work / "src"), "-out", str(out),
               *sorted(map(str, xsds.iterdir()))]
        subprocess.run(cmd, check=True)
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(out, dest.with_suffix(".tmp"))
        os.replace(dest.with_suffix(".tmp"), dest)
    return dest


if __name__ == "__main__":
    if sys.argv[1:] != ["--build-schemas"]:
        sys.exit(__doc__)
    if poi_classpath() is not None and os.environ.get("FORCE") != "1":
        print(f"already built: {schemas_jar()}")
    else:
        print(f"built: {build_schemas()}")
