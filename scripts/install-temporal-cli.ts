/** `npm run temporal:install`: find or install the Temporal CLI and print its path (used by CI). */
import { findTemporalCli } from './temporal-cli.js';

try {
  console.log(await findTemporalCli());
} catch (err) {
  console.error((err as Error).message);
  process.exit(1);
}
