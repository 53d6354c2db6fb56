import { afterEach, describe, expect, it } from 'vitest';
import { CI_EXEMPT, exemptSkip, hasCommand, isCi, oracle, pythonWith } from './oracle.js';

const saved = process.env['CI'];
afterEach(() => {
  if (saved === undefined) delete process.env['CI'];
  else process.env['CI'] = saved;
});

describe('test oracles', () => {
  it('reads CI the way CI services set it', () => {
    for (const [v, want] of [
      ['true', true],
      ['1', true],
      ['', false],
      ['0', false],
      ['false', false],
    ] as const) {
      process.env['CI'] = v;
      expect(isCi()).toBe(want);
    }
    delete process.env['CI'];
    expect(isCi()).toBe(false);
  });

  it('a missing oracle skips locally with its reason, and fails under CI', () => {
    delete process.env['CI'];
    const local = oracle('no-such-tool', 'apt-get install no-such-tool', () => null);
    expect(local.skip).toBe(true);
    expect(local.optional()).toBeNull();
    expect(local.reason).toBe('no-such-tool is not available here (apt-get install no-such-tool)');
    expect(() => local.get()).toThrow(/no-such-tool is not available/);

    process.env['CI'] = 'true';
    const ci = oracle('no-such-tool', 'apt-get install no-such-tool', () => {
      throw new Error('probe crashed');
    });
    expect(ci.skip).toBe(false);
    expect(() => ci.get()).toThrow(/CI must install it/);
    expect(() => ci.optional()).toThrow(/CI must install it/);
  });

  it('a present oracle runs everywhere and hands back what the probe found', () => {
    process.env['CI'] = 'true';
    const node = oracle('node', 'it runs this test', () => (hasCommand('node') ? 'node' : null));
    expect(node).toMatchObject({ skip: false, reason: null, value: 'node' });
    expect(node.get()).toBe('node');
    expect(node.optional()).toBe('node');
  });

  it('probes real programs and python modules', () => {
    expect(hasCommand('node', ['--version'])).toBe(true);
    expect(hasCommand('assay-no-such-command')).toBe(false);
    expect(pythonWith('json')).not.toBeNull();
    expect(pythonWith('assay_no_such_module')).toBeNull();
  });

  it('the Electron skip is the one CI exemption, and says why', () => {
    expect(Object.keys(CI_EXEMPT)).toEqual(['electron']);
    expect(exemptSkip('electron', 'no binary')).toMatch(/^no binary \(allowed under CI too: .*npm/);
  });
});
