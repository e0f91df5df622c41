// Run by `npm run build`: makes the commands package.json's `bin` names executable in this
// checkout. npm sets the mode when it installs a package, but a rebuild writes dist/ anew
// (mode 644), and the examples' `npx pulumi-googlechat`, linked to this folder, would then fail
// with "Permission denied".
const fs = require("node:fs");
const path = require("node:path");

const root = path.join(__dirname, "..");
const { bin } = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8"));
for (const file of Object.values(bin)) {
  const full = path.join(root, file);
  fs.chmodSync(full, fs.statSync(full).mode | 0o111);
}
