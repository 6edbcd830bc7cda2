/**
 * A small XML 1.0 well-formedness check for the JUnit output (no XML parser is installed): every
 * character is an XML Char, tags nest and close, attribute values are quoted and unique per element,
 * and every `&` starts one of the five predefined entities or a character reference.
 * @see https://www.w3.org/TR/xml/#charsets and https://www.w3.org/TR/xml/#sec-well-formed
 */
const NOT_CHAR = /[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\ud800-\udfff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const NAME = '[A-Za-z_:][-A-Za-z0-9_:.]*';
const ATTR = new RegExp(`\\s+(${NAME})\\s*=\\s*("[^"<]*"|'[^'<]*')`, 'gy');
const ENTITY = /&(?!(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);)/;

/** Returns the first problem, or undefined when the document is well-formed. */
export function xmlProblem(doc: string): string | undefined {
  const bad = NOT_CHAR.exec(doc);
  if (bad) return `character U+${bad[0].charCodeAt(0).toString(16).padStart(4, '0')} at ${bad.index} is not allowed in XML`;
  let rest = doc.replace(/^<\?xml[^?]*\?>/, '');
  const stack: string[] = [];
  let roots = 0;
  while (rest.length > 0) {
    const lt = rest.indexOf('<');
    const text = lt < 0 ? rest : rest.slice(0, lt);
    if (ENTITY.test(text)) return `bare & in text near "${text.slice(0, 40)}"`;
    if (stack.length === 0 && text.trim() !== '') return `text outside the root element: "${text.slice(0, 40)}"`;
    if (lt < 0) break;
    rest = rest.slice(lt);
    const close = new RegExp(`^</(${NAME})\\s*>`).exec(rest);
    if (close) {
      if (stack.pop() !== close[1]) return `</${close[1]}> closes the wrong element`;
      rest = rest.slice(close[0].length);
      continue;
    }
    const open = new RegExp(`^<(${NAME})`).exec(rest);
    if (!open) return `malformed markup near "${rest.slice(0, 40)}"`;
    const tag = open[1] ?? '';
    let i = open[0].length;
    const names = new Set<string>();
    ATTR.lastIndex = i;
    for (let m = ATTR.exec(rest); m; m = ATTR.exec(rest)) {
      // Both groups of ATTR are mandatory, so a match has them.
      const [, attr = '', value = ''] = m;
      if (names.has(attr)) return `attribute ${attr} repeated on <${tag}>`;
      names.add(attr);
      if (ENTITY.test(value)) return `bare & in attribute ${attr}`;
      i = ATTR.lastIndex;
    }
    const end = /^\s*(\/?)>/.exec(rest.slice(i));
    if (!end) return `unterminated start tag <${tag}> near "${rest.slice(i, i + 40)}"`;
    if (stack.length === 0) roots++;
    if (roots > 1) return 'more than one root element';
    if (!end[1]) stack.push(tag);
    rest = rest.slice(i + end[0].length);
  }
  if (stack.length > 0) return `<${stack[stack.length - 1]}> is never closed`;
  return roots === 1 ? undefined : 'no root element';
}
