/**
 * Bench part `import`: `pulumi-googlechat import` for an organisation of 500 spaces
 * with 20 members each, and the `pulumi up` that adopts what it wrote, at Google's read quotas
 * (time-scaled, the emulator counting them strictly). Each figure beside its lower bound: the
 * generation's reads against the search pages plus one member listing per space, the up's reads
 * against one per space and one per roster (plus ChatSpaceMembers' learning of the calling user's
 * users/{id} once per deployment, provider/space-members/caller.ts, counted apart: one members.get
 * when the first roster's space is the caller's, else that 404, spaces.list and a members.get where
 * the caller is; here the administrator made every space, so one), its writes against
 * none, and each duration against the time the read quotas need for those reads (space and
 * membership reads are separate quotas).
 *
 * `npx ts-node bench/import.ts` runs this part alone (quotas ×4, parallel 8, as `npm run bench`),
 * prints it and writes bench/results/import.json; `npm run bench -- import` updates latest.json.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { main as cli } from "../commands/cli";
import type { ServiceAccountKey } from "../emulator";
import { DEFAULT_SETTINGS, isChatApiCall } from "../emulator";
import { GOOGLE_RATE_LIMITS } from "../provider/core/rate-limiter";
import { type EmulatorProcess, googleLimitsConfig, inlineStack, startEmulatorProcess, useEngine } from "../test/e2e/harness";
import { EMPLOYEES } from "../test/helpers/organisation";

const SPACES = 500;
const MEMBERS = 20;
/** spaces.search's largest page with admin access (v1.d.ts pageSize). */
const PAGE = 1000;

export async function importAtScale(emulator: EmulatorProcess, key: ServiceAccountKey, timeScale: number, parallel: number) {
  const { control } = emulator;
  await control.reset();
  await control.setSettings({ users: [...DEFAULT_SETTINGS.users, ...EMPLOYEES] });
  for (let start = 0; start < SPACES; start += 100) {
    await control.seed(
      Array.from({ length: 100 }, (_, k) => ({
        displayName: `Imported ${start + k}`,
        // The administrator who made it, and 19 more.
        members: Array.from({ length: MEMBERS - 1 }, (_, n) => ({ member: `users/${EMPLOYEES[(start + k + n) % EMPLOYEES.length].email}` })),
      })),
    );
  }
  await control.setQuotas({ enabled: true, mode: "slidingWindow", timeScale });
  const limits = googleLimitsConfig(timeScale);
  const mark = async () => (await control.requests()).pop()?.seq ?? 0;
  const apiCallsSince = async (seq: number) => (await control.requests(seq)).filter(isChatApiCall);

  const home = mkdtempSync(join(tmpdir(), "chat-bench-import-"));
  mkdirSync(join(home, "work"), { recursive: true });
  const file = join(home, "work", "generated.ts");
  const config = {
    "googlechat:credentials": JSON.stringify(key),
    "googlechat:apiEndpoint": emulator.url,
    "googlechat:tokenEndpoint": emulator.tokenUrl,
    "googlechat:impersonateUser": "admin@example.com",
    ...limits,
  };
  let seq = await mark();
  const started = process.hrtime.bigint();
  const code = await cli(["import", "--admin", "--out", file, ...Object.entries(config).flatMap(([k, v]) => ["-c", `${k}=${v}`])], {
    stdout: new PassThrough(),
    stderr: new PassThrough(),
    stdin: new PassThrough(),
    env: {},
  });
  const generateSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (code !== 0) throw new Error(`pulumi-googlechat import exited with ${code}`);
  const generation = await apiCallsSince(seq);

  const stack = await inlineStack(
    "chat-bench",
    "import",
    async () => {
      delete require.cache[require.resolve(file)];
      require(file);
    },
    { emulator, key, impersonateUser: "admin@example.com", home, config: { ...limits, "googlechat:useAdminAccess": "true" } },
  );
  seq = await mark();
  const upStarted = process.hrtime.bigint();
  const up = await stack.up({ parallel });
  const adoptSeconds = Number(process.hrtime.bigint() - upStarted) / 1e9;
  const adoption = await apiCallsSince(seq);
  await control.setQuotas({ enabled: false });

  // A read quota, as the limiter keeps it: a second's worth at once, then an even pace. Space
  // and membership reads have a quota each, of the same size: the longer of the two bounds.
  const perSecond = (GOOGLE_RATE_LIMITS.spaceReadsPerMinute * timeScale) / 60;
  const quotaSeconds = (spaceReads: number, memberReads: number) => Math.max(0, Math.max(spaceReads, memberReads) - perSecond) / perSecond;
  const pages = Math.ceil(SPACES / PAGE);
  const adoptReads = adoption.filter((r) => r.method === "GET").length;
  const callerReads = adoption.filter((r) => r.rpc === "spaces.members.get" || r.rpc === "spaces.list").length;
  return {
    spaces: SPACES,
    membersPerSpace: MEMBERS,
    generateReads: generation.length,
    generateBound: pages + SPACES,
    generateSeconds,
    generateQuotaSeconds: quotaSeconds(pages, SPACES),
    adoptResult: up.summary.result,
    adoptReads,
    adoptReadBound: 2 * SPACES,
    adoptCallerReads: callerReads,
    adoptWrites: adoption.length - adoptReads,
    adoptThrottled: adoption.filter((r) => r.status === 429).length,
    adoptSeconds,
    adoptQuotaSeconds: quotaSeconds(SPACES, SPACES),
  };
}

if (require.main === module) {
  void (async () => {
    useEngine();
    const emulator = await startEmulatorProcess();
    try {
      const result = { ...(await importAtScale(emulator, await emulator.control.serviceAccount(), 4, 8)), date: new Date().toISOString() };
      writeFileSync(join(__dirname, "results", "import.json"), JSON.stringify(result, null, 2) + "\n");
      console.log(JSON.stringify(result, null, 2));
    } finally {
      await emulator.stop();
    }
  })().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
