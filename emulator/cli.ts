/**
 * `npm run emulator -- [--port N] [--host H] [--data FILE] [--credentials DIR]`: runs the
 * emulator until interrupted and prints the URL it listens on.
 */
import { parseArgs } from "node:util";
import { writeCredentialFiles } from "./auth/credentials";
import { startEmulator } from "./server";

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: "string", default: "8085" },
      host: { type: "string", default: "127.0.0.1" },
      data: { type: "string" },
      credentials: { type: "string" },
    },
  });
  const emulator = await startEmulator({ port: Number(values.port), host: values.host, dataFile: values.data });
  console.log(`Google Chat API emulator listening on ${emulator.url}`);
  console.log(`  token endpoint: ${emulator.tokenUrl}`);
  if (values.data) console.log(`  state kept in ${values.data}`);
  if (values.credentials) {
    const files = await writeCredentialFiles(emulator.url, values.credentials);
    console.log(`  service account key: ${files.serviceAccountFile}`);
    console.log(`  user credentials:    ${files.authorizedUserFile}`);
  }
  const stop = () => emulator.stop().then(() => process.exit(0));
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
