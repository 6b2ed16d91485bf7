/** Reading the CLI's input files: paths from where the user ran the command, JSON errors with line and column. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseJsonc, printParseErrorCode, type ParseError } from 'jsonc-parser';

/**
 * `npm run` changes into the project's root before running a script; npm keeps the directory the
 * user ran it from in INIT_CWD, so relative paths mean what the user meant.
 */
function userPath(file: string, env: NodeJS.ProcessEnv = process.env): string {
  return path.resolve(env.INIT_CWD ?? process.cwd(), file);
}

export class JsonFileError extends Error {}

/** "CloseBraceExpected" → "close brace expected". */
function describe(code: string): string {
  return code.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
}

/**
 * Parses strict JSON. On a syntax error, names its line and column: Node 20's own message gives
 * no position for most mistakes, so jsonc-parser (VS Code's, strict mode) locates it.
 */
function parseJsonText(text: string, name: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    const errors: ParseError[] = [];
    parseJsonc(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
    const first = errors[0];
    if (!first) throw new JsonFileError(`${name} is not valid JSON: ${(err as Error).message}`);
    const before = text.slice(0, first.offset).split('\n');
    throw new JsonFileError(`${name} is not valid JSON at line ${before.length}, column ${before.at(-1)!.length + 1}: ${describe(printParseErrorCode(first.error))}`);
  }
}

/** Reads a JSON file ("-" = stdin) given on the command line. */
export function readJsonFile(file: string): { name: string; value: unknown } {
  const name = file === '-' ? 'stdin' : file;
  let text: string;
  try {
    text = readFileSync(file === '-' ? 0 : userPath(file), 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new JsonFileError(code === 'ENOENT' ? `cannot read ${name}: no such file (${userPath(file)})` : `cannot read ${name}: ${(err as Error).message}`);
  }
  return { name, value: parseJsonText(text, name) };
}
