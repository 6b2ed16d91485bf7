/**
 * `npm run temporal:search-attributes`: registers the onboarding search attributes on a Temporal
 * server that was not started by this project (docker-compose, a self-hosted cluster). The dev
 * server that `npm start` and the tests run gets them through `--search-attribute` instead.
 * Safe to run again: attributes already there are left alone.
 */
import { Connection } from '@temporalio/client';
import proto from '@temporalio/proto';
import { ONBOARDING_SEARCH_ATTRIBUTES } from '../workflows/search-attributes.js';
import { loadConfig, type TemporalConfig } from '../config/environment.js';

/** The server's enum value of a search attribute's type (KEYWORD_LIST → INDEXED_VALUE_TYPE_KEYWORD_LIST). */
export function indexedValueType(type: string): number {
  return proto.temporal.api.enums.v1.IndexedValueType[`INDEXED_VALUE_TYPE_${type}` as keyof typeof proto.temporal.api.enums.v1.IndexedValueType] as number;
}

export async function registerSearchAttributes({ connectionOptions, namespace }: TemporalConfig): Promise<string[]> {
  const connection = await Connection.connect(connectionOptions);
  try {
    const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace });
    const missing = ONBOARDING_SEARCH_ATTRIBUTES.filter((key) => !(key.name in (customAttributes ?? {})));
    if (missing.length > 0) {
      await connection.operatorService.addSearchAttributes({
        namespace,
        searchAttributes: Object.fromEntries(missing.map((key) => [key.name, indexedValueType(key.type)])),
      });
    }
    return missing.map((key) => key.name);
  } finally {
    await connection.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const temporal = loadConfig(['temporal']).temporal;
  const { address, namespace } = temporal;
  registerSearchAttributes(temporal).then(
    (added) => console.log(added.length ? `Registered ${added.join(', ')} on ${address}/${namespace}` : 'All onboarding search attributes already registered'),
    (err) => {
      console.error(`Could not register search attributes on ${address}: ${(err as Error).message}`);
      process.exit(1);
    },
  );
}
