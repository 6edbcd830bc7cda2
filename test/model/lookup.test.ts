/** The checked lookups every module shares for values that exist by construction. */
import { at, found, need } from '../../lib/model/lookup';

describe('at', () => {
  test('returns the element at an index, counting from the end when negative', () => {
    expect(at(['a', 'b', 'c'], 1, 'letter')).toBe('b');
    expect(at(['a', 'b', 'c'], -1, 'letter')).toBe('c');
  });
  test('keeps falsy elements: only a missing index is a miss', () => {
    expect(at([0, ''], 0, 'value')).toBe(0);
    expect(at([0, ''], 1, 'value')).toBe('');
  });
  test('throws an internal error naming what was looked for, the index and the length', () => {
    expect(() => at(['a'], 3, 'planned region')).toThrow(/^Meridian internal error: no planned region at index 3 \(length 1\)$/);
    expect(() => at([], 0, 'first region')).toThrow(/no first region at index 0 \(length 0\)/);
  });
});

describe('need', () => {
  test('returns the entry of a record or a Map', () => {
    expect(need({ 'us-east-1': 1 }, 'us-east-1', 'stack')).toBe(1);
    expect(need(new Map([['eu-west-1', 'x']]), 'eu-west-1', 'stack')).toBe('x');
  });
  test('throws an internal error naming what was looked for, the key and the known keys', () => {
    expect(() => need({ 'us-east-1': 1, 'us-west-2': 2 }, 'eu-west-1', 'region stack'))
      .toThrow(/^Meridian internal error: no region stack for eu-west-1 \(known: us-east-1, us-west-2\)$/);
    expect(() => need(new Map<string, number>(), 'eu-west-1', 'key')).toThrow(/no key for eu-west-1 \(known: none\)/);
  });
});

describe('found', () => {
  test('passes a found value through, falsy ones included', () => {
    expect(found(0, 'count')).toBe(0);
    expect(found([1, 2].find((x) => x > 1), 'number')).toBe(2);
  });
  test('throws an internal error naming what the search was for', () => {
    expect(() => found([1, 2].find((x) => x > 5), 'hub region')).toThrow(/^Meridian internal error: no hub region found$/);
  });
});
