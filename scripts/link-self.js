// Links this package into its own node_modules (node_modules/pulumi-googlechat -> ..), so that
// the Pulumi programs in this repository resolve "pulumi-googlechat" as users' programs do:
// the serialized provider loads "pulumi-googlechat/provider" from the program's directory.
const fs = require("node:fs");
const path = require("node:path");

const link = path.join(__dirname, "..", "node_modules", "pulumi-googlechat");
try {
  if (fs.readlinkSync(link) === "..") process.exit(0);
  fs.rmSync(link, { recursive: true, force: true });
} catch {
  // no link yet
}
fs.mkdirSync(path.dirname(link), { recursive: true });
fs.symlinkSync("..", link, "dir");
