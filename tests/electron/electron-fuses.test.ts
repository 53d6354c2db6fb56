// The packaged app's Electron fuses, read from electron-builder.yml the way electron-builder reads
// them and checked against the option names electron-builder 26 itself declares (its JSON schema):
// a misspelt fuse would be ignored silently and leave the binary as Electron ships it.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const root = path.resolve(import.meta.dirname, '../..');
const require = createRequire(import.meta.url);

interface SchemaObject {
  readonly properties: Record<string, { readonly type?: string; readonly $ref?: string }>;
  readonly additionalProperties?: boolean;
}
interface Schema {
  readonly properties: Record<string, { readonly anyOf?: readonly { $ref?: string }[] }>;
  readonly definitions: Record<string, SchemaObject>;
}

const schema = JSON.parse(
  readFileSync(require.resolve('app-builder-lib/scheme.json'), 'utf8'),
) as Schema;
const config = parse(readFileSync(path.join(root, 'electron-builder.yml'), 'utf8')) as Record<
  string,
  unknown
>;

/** The definition `electronFuses` points at in electron-builder's own schema. */
function fuseDefinition(): SchemaObject {
  const ref = schema.properties.electronFuses?.anyOf?.find((a) => a.$ref)?.$ref;
  expect(ref, 'electron-builder declares electronFuses').toBeDefined();
  const def = schema.definitions[(ref as string).replace('#/definitions/', '')];
  expect(def).toBeDefined();
  return def as SchemaObject;
}

const WANTED: Readonly<Record<string, boolean>> = {
  runAsNode: false,
  enableNodeOptionsEnvironmentVariable: false,
  enableNodeCliInspectArguments: false,
  enableCookieEncryption: true,
  enableEmbeddedAsarIntegrityValidation: true,
  onlyLoadAppFromAsar: true,
  grantFileProtocolExtraPrivileges: false,
};

describe('electron-builder.yml fuses', () => {
  const fuses = config.electronFuses as Record<string, unknown> | undefined;

  it('sets an electronFuses section', () => {
    expect(fuses).toBeTypeOf('object');
  });

  it('names only fuses electron-builder knows, each a boolean', () => {
    const def = fuseDefinition();
    expect(def.additionalProperties).toBe(false);
    for (const [name, value] of Object.entries(fuses ?? {})) {
      expect(Object.keys(def.properties), `unknown fuse ${name}`).toContain(name);
      expect(def.properties[name]?.type).toBe('boolean');
      expect(typeof value, name).toBe('boolean');
    }
  });

  it.each(Object.entries(WANTED))('%s is %s', (name, value) => {
    expect(Object.keys(fuseDefinition().properties)).toContain(name);
    expect(fuses?.[name]).toBe(value);
  });

  it('loads the app from an ASAR archive, which onlyLoadAppFromAsar needs', () => {
    expect(config.asar).toBe(true);
  });
});
