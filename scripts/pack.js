// `npm run package [-- DIR]`: builds, then packs the tarball users install into DIR (default: the
// current directory) and prints its path. Publish that tarball (`npm publish <file>`), not the
// repository folder.
//
// The tarball's package.json is this one without `scripts` and `devDependencies`. The scripts
// build and test this repository (`prepare` builds dist/ on a clone's `npm install` and links
// the package for its examples); their files are not in the tarball, and npm 11 warns, on every
// install, about each lifecycle script of a package the user has not approved (`allowScripts`).
// The files are the ones package.json's `files` names, as `npm pack` takes them.
const { execFileSync } = require("node:child_process");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");

const root = path.join(__dirname, "..");
const destination = path.resolve(process.argv[2] ?? ".");
const manifest = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8"));
const { scripts: _scripts, devDependencies: _devDependencies, ...published } = manifest;

// A folder that does not exist yet is made, as `npm pack --pack-destination` would not.
fs.mkdirSync(destination, { recursive: true });
const stage = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-googlechat-pack-"));
try {
  for (const entry of manifest.files) fs.cpSync(path.join(root, entry), path.join(stage, entry), { recursive: true });
  fs.writeFileSync(path.join(stage, "package.json"), `${JSON.stringify(published, null, 2)}\n`);
  const packed = execFileSync("npm", ["pack", "--silent", "--pack-destination", destination, stage], { encoding: "utf8" });
  console.log(path.join(destination, packed.trim().split("\n").pop()));
} finally {
  fs.rmSync(stage, { recursive: true, force: true });
}
