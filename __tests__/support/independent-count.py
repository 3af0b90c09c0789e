#!/usr/bin/env python3
"""An independent count of what an image's files hold, from a `docker save` tar.

    python3 independent-count.py SAVE.tar [--prefix /var/lib/apt/lists ...] [--list]

Shares no code with src/: Python's stdlib tarfile reads the outer archive (the overlay2
engine's docker-archive, `<id>/layer.tar`, or the containerd store's OCI layout with
`blobs/sha256/...` and gzip layers) and each layer as a stream. Prints JSON:

    {"images": [{"tags": [...], "layers": N, "count": visible non-directory paths,
                 "bytes": their content, "reclaimableBytes": every hidden copy,
                 "hiddenCount": N, "prefixes": {"/p": {"count", "bytes", "hiddenBytes"}},
                 "view": {"/path": [kind, bytes, layer]}   (with --list)}]}

Definitions (the issue's): content bytes are regular-file bytes, hard links once (an inode is
counted once, whichever of its paths are visible), plus the UTF-8 byte length of symlink
targets. A hidden copy is a stored inode (or symlink) that no visible path reaches any more:
overwritten by a later layer, deleted by a whiteout, removed with its directory (a whiteout
of a directory hides everything below it, dive#684), or replaced by an opaque directory or a
change of type. Layers are 1-based positions in the manifest.
"""
import json
import sys
import tarfile

WHITEOUT = ".wh."
OPAQUE = ".wh..wh..opq"


def norm(name):
    """`./usr/bin/` -> `/usr/bin`"""
    parts = [p for p in name.split("/") if p not in ("", ".")]
    return "/" + "/".join(parts)


def parent(path):
    return path.rsplit("/", 1)[0] or "/"


def under(path, directory):
    return directory == "/" or path == directory or path.startswith(directory + "/")


class Inode:
    """One stored copy of content: a regular file, symlink or other entry of one layer."""

    __slots__ = ("size", "layer", "kind", "path")

    def __init__(self, size, layer, kind, path):
        self.size, self.layer, self.kind, self.path = size, layer, kind, path


class Merged:
    """The file system a container sees after each layer, and what it no longer sees."""

    def __init__(self):
        self.paths = {}  # path -> ("dir", None, layer) | (kind, Inode, layer)
        self.inodes = {}  # id -> every Inode stored

    def remove_tree(self, path):
        """Removes `path` and everything below it (a whiteout, opaque dir or type change)."""
        doomed = [p for p in self.paths if under(p, path)]
        for p in doomed:
            del self.paths[p]

    def apply_layer(self, layer, entries):
        # Whiteouts and opaque markers act on the lower layers only, whatever their tar order.
        for kind, path, _size, _link in entries:
            if kind == "opaque":
                for p in [p for p in self.paths if p != path and under(p, path)]:
                    del self.paths[p]
            elif kind == "whiteout":
                self.remove_tree(path)
        added = {}
        for kind, path, size, link in entries:
            if kind in ("opaque", "whiteout"):
                continue
            # A non-directory above this path (from a lower layer) is replaced by a directory.
            anc = parent(path)
            while anc != "/":
                got = self.paths.get(anc)
                if got is not None and got[0] != "dir":
                    del self.paths[anc]
                anc = parent(anc)
            old = self.paths.get(path)
            if kind == "dir":
                if old is not None and old[0] != "dir":
                    del self.paths[path]
                self.paths[path] = ("dir", None, layer)
                continue
            if old is not None and old[0] == "dir":
                self.remove_tree(path)
            if kind == "hardlink":
                target = added.get(link) or self.paths.get(link)
                inode = target[1] if target and target[1] is not None else Inode(0, layer, "file", link)
                self.inodes[id(inode)] = inode
                self.paths[path] = ("hardlink", inode, layer)
            else:
                inode = Inode(size, layer, kind, path)
                self.inodes[id(inode)] = inode
                self.paths[path] = (kind, inode, layer)
            added[path] = self.paths[path]

    def figures(self, prefixes, listing):
        visible = {}
        for path, (kind, inode, layer) in self.paths.items():
            if kind != "dir":
                visible[path] = (kind, inode, layer)
        seen = set()
        total = 0
        for kind, inode, _layer in visible.values():
            if id(inode) not in seen:
                seen.add(id(inode))
                total += inode.size
        hidden = [i for key, i in self.inodes.items() if key not in seen]
        out = {
            "count": len(visible),
            "bytes": total,
            "reclaimableBytes": sum(i.size for i in hidden),
            "hiddenCount": len(hidden),
            "prefixes": {},
        }
        for prefix in prefixes:
            inodes = {}
            count = 0
            for path, (kind, inode, _layer) in visible.items():
                if under(path, prefix):
                    count += 1
                    inodes[id(inode)] = inode.size
            out["prefixes"][prefix] = {
                "count": count,
                "bytes": sum(inodes.values()),
                "hiddenBytes": sum(i.size for i in hidden if under(i.path, prefix)),
            }
        if listing:
            out["view"] = {
                path: [kind, 0 if kind == "hardlink" else inode.size, layer]
                for path, (kind, inode, layer) in sorted(visible.items())
            }
        return out, hidden


def read_layer(stream):
    """The entries of one layer tar (plain or gzip), as (kind, path, bytes, hardlink target)."""
    entries = []
    with tarfile.open(fileobj=stream, mode="r|*") as layer:
        for member in layer:
            path = norm(member.name)
            base = path.rsplit("/", 1)[1]
            if base == OPAQUE:
                entries.append(("opaque", parent(path), 0, None))
            elif base.startswith(WHITEOUT):
                entries.append(("whiteout", parent(path).rstrip("/") + "/" + base[len(WHITEOUT):], 0, None))
            elif member.isdir():
                entries.append(("dir", path, 0, None))
            elif member.islnk():
                entries.append(("hardlink", path, 0, norm(member.linkname)))
            elif member.issym():
                size = len(member.linkname.encode("utf-8", "surrogateescape"))
                entries.append(("symlink", path, size, None))
            elif member.isreg():
                entries.append(("file", path, member.size, None))
            else:
                entries.append(("other", path, 0, None))
    return entries


def member_stream(archive, name):
    """A file of the outer archive, following the symlinks the legacy layout uses."""
    for _ in range(8):
        info = archive.getmember(name)
        if info.issym():
            name = norm(parent("/" + name) + "/" + info.linkname)[1:]
            continue
        return archive.extractfile(info)
    raise ValueError("symlink loop at " + name)


def images_of(archive):
    names = set(archive.getnames())
    if "manifest.json" in names:
        manifest = json.load(archive.extractfile("manifest.json"))
        return [(entry.get("RepoTags") or [], entry["Layers"]) for entry in manifest]
    index = json.load(archive.extractfile("index.json"))
    found = []
    for desc in index["manifests"]:
        blob = json.load(archive.extractfile("blobs/sha256/" + desc["digest"].split(":")[1]))
        tag = (desc.get("annotations") or {}).get("io.containerd.image.name")
        found.append(([tag] if tag else [], ["blobs/sha256/" + l["digest"].split(":")[1] for l in blob["layers"]]))
    return found


def main(argv):
    path, prefixes, listing = None, [], False
    args = iter(argv)
    for arg in args:
        if arg == "--prefix":
            prefixes.append(norm(next(args)))
        elif arg == "--list":
            listing = True
        else:
            path = arg
    if path is None:
        print(__doc__, file=sys.stderr)
        return 2
    results = []
    with tarfile.open(path, mode="r:") as archive:
        for tags, layers in images_of(archive):
            merged = Merged()
            for position, name in enumerate(layers, start=1):
                merged.apply_layer(position, read_layer(member_stream(archive, name)))
            figures, _hidden = merged.figures(prefixes, listing)
            results.append({"tags": tags, "layers": len(layers), **figures})
    json.dump({"images": results}, sys.stdout, indent=1, sort_keys=True)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
